//! How well scores separate labelled documents: AUROC, true-positive rate at
//! a fixed false-positive rate, and the threshold with the best F1.

/// Area under the ROC curve: the chance that a random machine-written
/// document outscores a random human one (ties count half). `None` unless
/// both labels are present.
pub fn auroc(scores: &[f64], ai: &[bool]) -> Option<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let n_ai = ai.iter().filter(|&&a| a).count();
    let n_h = ai.len() - n_ai;
    if n_ai == 0 || n_h == 0 {
        return None;
    }
    // sum of the (mid-)ranks of the positives
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && scores[order[j]] == scores[order[i]] {
            j += 1;
        }
        let mid = (i + j + 1) as f64 / 2.0; // 1-based mean rank of the tie block
        rank_sum += mid * order[i..j].iter().filter(|&&k| ai[k]).count() as f64;
        i = j;
    }
    let u = rank_sum - (n_ai * (n_ai + 1)) as f64 / 2.0;
    Some(u / (n_ai * n_h) as f64)
}

/// The share of machine-written documents caught at the lowest threshold
/// that flags at most `fpr` of the human ones (a document is flagged when
/// its score is strictly above the threshold), and that threshold.
pub fn tpr_at_fpr(scores: &[f64], ai: &[bool], fpr: f64) -> Option<(f64, f64)> {
    let mut human: Vec<f64> = scores
        .iter()
        .zip(ai)
        .filter(|(_, a)| !**a)
        .map(|(s, _)| *s)
        .collect();
    let n_ai = ai.iter().filter(|&&a| a).count();
    if human.is_empty() || n_ai == 0 {
        return None;
    }
    human.sort_by(|a, b| b.total_cmp(a));
    let allowed = (fpr * human.len() as f64 + 1e-9).floor() as usize;
    let threshold = if allowed >= human.len() {
        f64::NEG_INFINITY
    } else {
        human[allowed]
    };
    let caught = scores
        .iter()
        .zip(ai)
        .filter(|(s, a)| **a && **s > threshold)
        .count();
    Some((caught as f64 / n_ai as f64, threshold))
}

/// The threshold (flag at or above) with the best F1 for the machine-written
/// class: `(threshold, f1, precision, recall)`.
pub fn best_f1(scores: &[f64], ai: &[bool]) -> Option<(f64, f64, f64, f64)> {
    let n_ai = ai.iter().filter(|&&a| a).count();
    if n_ai == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut best: Option<(f64, f64, f64, f64)> = None;
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut i = 0;
    while i < order.len() {
        let t = scores[order[i]];
        while i < order.len() && scores[order[i]] == t {
            if ai[order[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        let precision = tp as f64 / (tp + fp) as f64;
        let recall = tp as f64 / n_ai as f64;
        let f1 = if tp == 0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        if best.is_none_or(|b| f1 > b.1) {
            best = Some((t, f1, precision, recall));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auroc_perfect_random_and_ties() {
        let ai = [false, false, true, true];
        assert_eq!(auroc(&[1.0, 2.0, 3.0, 4.0], &ai), Some(1.0));
        assert_eq!(auroc(&[4.0, 3.0, 2.0, 1.0], &ai), Some(0.0));
        assert_eq!(auroc(&[1.0, 1.0, 1.0, 1.0], &ai), Some(0.5));
        assert_eq!(auroc(&[1.0, 3.0, 2.0, 4.0], &ai), Some(0.75));
        assert_eq!(auroc(&[1.0], &[true]), None);
    }

    #[test]
    fn tpr_at_fixed_fpr() {
        // 100 human scores 0..99, ai scores 50..149
        let mut s: Vec<f64> = (0..100).map(f64::from).collect();
        s.extend((50..150).map(f64::from));
        let ai: Vec<bool> = (0..200).map(|i| i >= 100).collect();
        let (tpr, t) = tpr_at_fpr(&s, &ai, 0.01).unwrap();
        assert_eq!(t, 98.0); // one human (99) is above it
        assert!((tpr - 0.51).abs() < 1e-12); // 99..149
        let (tpr, _) = tpr_at_fpr(&s, &ai, 0.0).unwrap();
        assert!((tpr - 0.50).abs() < 1e-12);
    }

    #[test]
    fn best_f1_finds_the_gap() {
        let s = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9];
        let ai = [false, false, false, true, true, true];
        let (t, f1, p, r) = best_f1(&s, &ai).unwrap();
        assert_eq!((t, f1, p, r), (0.7, 1.0, 1.0, 1.0));
    }
}
