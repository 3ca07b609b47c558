//! The solver behind `telltale calibrate`: L2-regularised, weighted logistic
//! regression by L-BFGS.
//!
//! The problem is small (a few thousand sparse features, a few thousand
//! documents) and strictly convex once every feature is penalised, so a
//! plain L-BFGS with a backtracking line search reaches the unique optimum
//! in a few hundred iterations. Sums run in a fixed order, so the same
//! input gives the same weights bit for bit.
//!
//! Each coefficient is pulled toward its own prior value rather than 0: a
//! rule that never fires in the labelled set keeps the weight its pack gives
//! it, while rules with evidence move to what the evidence says.

/// One document's feature values: sorted, distinct feature indices and
/// their values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparseRow {
    /// Feature indices, ascending.
    pub index: Vec<u32>,
    /// Values, one per index.
    pub value: Vec<f64>,
}

impl SparseRow {
    /// The dot product with a dense coefficient vector.
    pub fn dot(&self, coef: &[f64]) -> f64 {
        self.index
            .iter()
            .zip(&self.value)
            .map(|(&j, &v)| coef[j as usize] * v)
            .sum()
    }
}

/// A weighted, regularised logistic regression problem.
#[derive(Clone, Copy, Debug)]
pub struct Problem<'a> {
    /// Feature rows, one per example.
    pub rows: &'a [SparseRow],
    /// Labels: `true` for the positive class (machine-written).
    pub labels: &'a [bool],
    /// Example weights (e.g. to balance the classes).
    pub weights: &'a [f64],
    /// Per-feature L2 strength (the intercept is never penalised).
    pub penalty: &'a [f64],
    /// Per-feature prior value the penalty pulls toward.
    pub prior: &'a [f64],
    /// Holds the intercept at this value instead of fitting it.
    pub intercept: Option<f64>,
    /// Centred columns: feature `j` of example `i` is
    /// `rows[i][j] − Σₖ scale[k][i]·center[k][j]` over the terms `k`, so
    /// columns centred on a mean stay sparse in storage.
    pub centering: &'a [Centering<'a>],
}

/// One term of the centring of [`Problem::centering`]: per-column centres
/// times per-row scales.
#[derive(Clone, Copy, Debug)]
pub struct Centering<'a> {
    /// Per-feature centre (0 for columns that are not centred).
    pub center: &'a [f64],
    /// Per-example multiplier of the centres.
    pub scale: &'a [f64],
}

/// Solver settings.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Stop when every gradient component is below this.
    pub tolerance: f64,
    /// Give up after this many iterations.
    pub max_iterations: usize,
    /// Number of correction pairs L-BFGS keeps.
    pub memory: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tolerance: 1e-7,
            max_iterations: 3000,
            memory: 10,
        }
    }
}

/// A fitted model.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The intercept.
    pub intercept: f64,
    /// One coefficient per feature.
    pub coef: Vec<f64>,
    /// Iterations used.
    pub iterations: usize,
    /// Whether the gradient tolerance was met.
    pub converged: bool,
}

impl Fit {
    /// The log-odds of the positive class for an uncentred row.
    pub fn logit(&self, row: &SparseRow) -> f64 {
        self.intercept + row.dot(&self.coef)
    }
}

/// `ln(1 + e^(-m))` without overflow.
fn log1p_exp_neg(m: f64) -> f64 {
    if m > 0.0 {
        (-m).exp().ln_1p()
    } else {
        -m + m.exp().ln_1p()
    }
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl Problem<'_> {
    fn dim(&self) -> usize {
        self.penalty.len()
    }

    /// Objective and gradient at `theta` (intercept first, then features).
    fn eval(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let (b, w) = (theta[0], &theta[1..]);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let total: f64 = self.weights.iter().sum();
        let center_dot: Vec<f64> = self.centering.iter().map(|c| dot(c.center, w)).collect();
        let mut center_grad = vec![0.0; self.centering.len()];
        let mut loss = 0.0;
        for (i, ((row, &y), &s)) in self
            .rows
            .iter()
            .zip(self.labels)
            .zip(self.weights)
            .enumerate()
        {
            let mut z = b + row.dot(w);
            for (c, d) in self.centering.iter().zip(&center_dot) {
                z -= c.scale[i] * d;
            }
            let margin = if y { z } else { -z };
            loss += s * log1p_exp_neg(margin);
            let dz = s * (sigmoid(z) - if y { 1.0 } else { 0.0 }) / total;
            grad[0] += dz;
            for (g, c) in center_grad.iter_mut().zip(self.centering) {
                *g += dz * c.scale[i];
            }
            for (&j, &v) in row.index.iter().zip(&row.value) {
                grad[1 + j as usize] += dz * v;
            }
        }
        for (c, &cg) in self.centering.iter().zip(&center_grad) {
            for (g, &x) in grad[1..].iter_mut().zip(c.center) {
                *g -= cg * x;
            }
        }
        if self.intercept.is_some() {
            grad[0] = 0.0;
        }
        let mut f = loss / total;
        for j in 0..w.len() {
            let d = w[j] - self.prior[j];
            f += 0.5 * self.penalty[j] * d * d;
            grad[1 + j] += self.penalty[j] * d;
        }
        f
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Fits `problem` by L-BFGS, starting from the priors.
pub fn fit(problem: &Problem<'_>, options: &Options) -> Fit {
    let n = problem.dim() + 1;
    let mut theta = Vec::with_capacity(n);
    theta.push(problem.intercept.unwrap_or(0.0));
    theta.extend_from_slice(problem.prior);
    let mut grad = vec![0.0; n];
    let mut f = problem.eval(&theta, &mut grad);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut rho_hist: Vec<f64> = Vec::new();
    let mut next_theta = vec![0.0; n];
    let mut next_grad = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = false;
    while iterations < options.max_iterations {
        if grad.iter().all(|g| g.abs() < options.tolerance) {
            converged = true;
            break;
        }
        iterations += 1;
        // two-loop recursion: direction = -H * grad
        let mut q = grad.clone();
        let mut alpha = vec![0.0; s_hist.len()];
        for k in (0..s_hist.len()).rev() {
            alpha[k] = rho_hist[k] * dot(&s_hist[k], &q);
            for (qi, yi) in q.iter_mut().zip(&y_hist[k]) {
                *qi -= alpha[k] * yi;
            }
        }
        let gamma = match (s_hist.last(), y_hist.last()) {
            (Some(s), Some(y)) => dot(s, y) / dot(y, y),
            _ => 1.0 / grad.iter().map(|g| g.abs()).fold(0.0, f64::max).max(1.0),
        };
        q.iter_mut().for_each(|v| *v *= gamma);
        for k in 0..s_hist.len() {
            let beta = rho_hist[k] * dot(&y_hist[k], &q);
            for (qi, si) in q.iter_mut().zip(&s_hist[k]) {
                *qi += (alpha[k] - beta) * si;
            }
        }
        let mut direction: Vec<f64> = q.iter().map(|v| -v).collect();
        let mut slope = dot(&direction, &grad);
        if slope >= 0.0 {
            // not a descent direction (rounding): restart from steepest descent
            s_hist.clear();
            y_hist.clear();
            rho_hist.clear();
            direction = grad.iter().map(|g| -g).collect();
            slope = dot(&direction, &grad);
        }
        // backtracking line search with the Armijo condition
        let mut step = 1.0;
        let mut accepted = false;
        let mut next_f = f;
        for _ in 0..60 {
            for i in 0..n {
                next_theta[i] = theta[i] + step * direction[i];
            }
            next_f = problem.eval(&next_theta, &mut next_grad);
            if next_f <= f + 1e-4 * step * slope {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break; // no further progress is possible at this precision
        }
        let s: Vec<f64> = (0..n).map(|i| next_theta[i] - theta[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| next_grad[i] - grad[i]).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            if s_hist.len() == options.memory {
                s_hist.remove(0);
                y_hist.remove(0);
                rho_hist.remove(0);
            }
            rho_hist.push(1.0 / sy);
            s_hist.push(s);
            y_hist.push(y);
        }
        std::mem::swap(&mut theta, &mut next_theta);
        std::mem::swap(&mut grad, &mut next_grad);
        let improvement = f - next_f;
        f = next_f;
        if improvement.abs() <= 1e-15 * f.abs().max(1.0) {
            converged = grad.iter().all(|g| g.abs() < options.tolerance * 100.0);
            break;
        }
    }
    Fit {
        intercept: theta[0],
        coef: theta[1..].to_vec(),
        iterations,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(u32, f64)]) -> SparseRow {
        SparseRow {
            index: pairs.iter().map(|p| p.0).collect(),
            value: pairs.iter().map(|p| p.1).collect(),
        }
    }

    #[test]
    fn intercept_only_matches_the_log_odds() {
        let rows = vec![SparseRow::default(); 4];
        let labels = [true, true, true, false];
        let weights = [1.0; 4];
        let p = Problem {
            rows: &rows,
            labels: &labels,
            weights: &weights,
            penalty: &[],
            prior: &[],
            intercept: None,
            centering: &[],
        };
        let fit = fit(&p, &Options::default());
        assert!(fit.converged);
        assert!(
            (fit.intercept - 3f64.ln()).abs() < 1e-6,
            "{}",
            fit.intercept
        );
    }

    #[test]
    fn class_weights_shift_the_intercept() {
        let rows = vec![SparseRow::default(); 4];
        let labels = [true, true, true, false];
        let weights = [1.0, 1.0, 1.0, 3.0]; // equal priors
        let p = Problem {
            rows: &rows,
            labels: &labels,
            weights: &weights,
            penalty: &[],
            prior: &[],
            intercept: None,
            centering: &[],
        };
        assert!(fit(&p, &Options::default()).intercept.abs() < 1e-6);
    }

    #[test]
    fn separable_data_stays_finite_and_separates() {
        let rows: Vec<SparseRow> = [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]
            .iter()
            .map(|&x| row(&[(0, x)]))
            .collect();
        let labels = [false, false, false, true, true, true];
        let weights = [1.0; 6];
        let p = Problem {
            rows: &rows,
            labels: &labels,
            weights: &weights,
            penalty: &[0.01],
            prior: &[0.0],
            intercept: None,
            centering: &[],
        };
        let f = fit(&p, &Options::default());
        assert!(f.converged);
        assert!(f.coef[0].is_finite() && f.coef[0] > 1.0);
        for (r, &y) in rows.iter().zip(&labels) {
            assert_eq!(f.logit(r) > 0.0, y);
        }
        // a weaker penalty lets the separating weight grow
        let weaker = Problem {
            penalty: &[0.001],
            ..p
        };
        assert!(fit(&weaker, &Options::default()).coef[0] > f.coef[0]);
    }

    #[test]
    fn non_separable_optimum_has_zero_gradient() {
        let xs = [
            (0.1, 1.0, false),
            (0.4, 0.0, false),
            (0.3, 2.0, true),
            (0.9, 0.5, true),
            (0.7, 1.5, false),
            (0.2, 0.2, true),
            (0.8, 0.0, true),
        ];
        let rows: Vec<SparseRow> = xs.iter().map(|&(a, b, _)| row(&[(0, a), (1, b)])).collect();
        let labels: Vec<bool> = xs.iter().map(|x| x.2).collect();
        let weights = vec![1.0; xs.len()];
        let p = Problem {
            rows: &rows,
            labels: &labels,
            weights: &weights,
            penalty: &[0.05, 0.05],
            prior: &[0.0, 0.0],
            intercept: None,
            centering: &[],
        };
        let f = fit(&p, &Options::default());
        assert!(f.converged);
        let mut theta = vec![f.intercept];
        theta.extend(&f.coef);
        let mut grad = vec![0.0; 3];
        let best = p.eval(&theta, &mut grad);
        assert!(grad.iter().all(|g| g.abs() < 1e-6), "{grad:?}");
        // every nearby point is worse
        for i in 0..3 {
            for d in [-1e-3, 1e-3] {
                let mut t = theta.clone();
                t[i] += d;
                assert!(p.eval(&t, &mut grad) > best);
            }
        }
    }

    #[test]
    fn features_without_evidence_keep_their_prior() {
        let rows = vec![row(&[(0, 1.0)]), row(&[(0, -1.0)])];
        let labels = [true, false];
        let weights = [1.0, 1.0];
        let p = Problem {
            rows: &rows,
            labels: &labels,
            weights: &weights,
            penalty: &[0.1, 0.1],
            prior: &[0.0, 0.7],
            intercept: None,
            centering: &[],
        };
        let f = fit(&p, &Options::default());
        assert!((f.coef[1] - 0.7).abs() < 1e-9);
    }

    #[test]
    fn centred_columns_match_dense_centring() {
        // the same problem written densely and as sparse rows plus centres
        let dense = [
            (1.0, 0.0, true),
            (0.0, 2.0, false),
            (3.0, 1.0, true),
            (0.0, 0.0, false),
            (2.0, 0.5, false),
        ];
        let scale = [1.0, 0.5, 0.8, 0.3, 1.0];
        let center = [1.2, 0.7];
        let labels: Vec<bool> = dense.iter().map(|d| d.2).collect();
        let weights = vec![1.0; dense.len()];
        let sparse: Vec<SparseRow> = dense
            .iter()
            .map(|&(a, b, _)| row(&[(0, a), (1, b)]))
            .collect();
        let explicit: Vec<SparseRow> = dense
            .iter()
            .zip(&scale)
            .map(|(&(a, b, _), &s)| row(&[(0, a - s * center[0]), (1, b - s * center[1])]))
            .collect();
        let base = Problem {
            rows: &explicit,
            labels: &labels,
            weights: &weights,
            penalty: &[0.02, 0.02],
            prior: &[0.0, 0.0],
            intercept: None,
            centering: &[],
        };
        let centred = Problem {
            rows: &sparse,
            centering: &[Centering {
                center: &center,
                scale: &scale,
            }],
            ..base
        };
        let (a, b) = (
            fit(&base, &Options::default()),
            fit(&centred, &Options::default()),
        );
        assert!((a.intercept - b.intercept).abs() < 1e-6);
        for (x, y) in a.coef.iter().zip(&b.coef) {
            assert!((x - y).abs() < 1e-6, "{x} {y}");
        }
    }

    #[test]
    fn a_held_intercept_is_not_fitted() {
        let rows = vec![SparseRow::default(); 4];
        let labels = [true, true, true, false];
        let weights = [1.0; 4];
        let p = Problem {
            rows: &rows,
            labels: &labels,
            weights: &weights,
            penalty: &[],
            prior: &[],
            intercept: Some(-0.5),
            centering: &[],
        };
        assert_eq!(fit(&p, &Options::default()).intercept, -0.5);
    }

    #[test]
    fn same_input_same_weights() {
        let rows: Vec<SparseRow> = (0..20)
            .map(|i| row(&[(0, (i as f64).sin()), (1, (i as f64 * 0.7).cos())]))
            .collect();
        let labels: Vec<bool> = (0..20).map(|i| i % 3 == 0).collect();
        let weights = vec![1.0; 20];
        let p = Problem {
            rows: &rows,
            labels: &labels,
            weights: &weights,
            penalty: &[0.01, 0.01],
            prior: &[0.0, 0.0],
            intercept: None,
            centering: &[],
        };
        assert_eq!(fit(&p, &Options::default()), fit(&p, &Options::default()));
    }
}
