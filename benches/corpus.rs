//! A deterministic generator of varied Markdown prose with tells, so anyone
//! can reproduce the throughput figures in `docs/performance.md`.
//!
//! Documents mix headings, paragraphs, bullet lists, block quotes, links,
//! inline and fenced code, curly quotes and dashes; about one sentence in
//! six carries a tell ("delve into", "not just X — it's Y", "Why it
//! matters:", ...). The same seed always gives the same bytes.

#![allow(dead_code)] // each bench uses part of the generator

/// A small xorshift generator: fast, seedable, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by a fixed constant).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const SUBJECTS: &[&str] = &[
    "The council",
    "Our team",
    "The new library",
    "A regional bank",
    "The river authority",
    "Most readers",
    "The startup",
    "Local farmers",
    "The committee",
    "This release",
    "The museum",
    "Two researchers",
    "The city’s planners",
    "The school board",
];
const VERBS: &[&str] = &[
    "approved",
    "delayed",
    "reviewed",
    "published",
    "rejected",
    "announced",
    "measured",
    "rebuilt",
    "questioned",
    "expanded",
    "funded",
    "tested",
    "closed",
    "opened",
];
const OBJECTS: &[&str] = &[
    "the budget for next year",
    "a plan to widen the bridge",
    "the results of the survey",
    "three new bus routes",
    "the draft of the report",
    "a study of flood defences",
    "the proposal for a cycle lane",
    "the annual accounts",
    "a pilot scheme for schools",
    "the contract with the supplier",
    "its guidance on data sharing",
];
const TAILS: &[&str] = &[
    "after a long debate",
    "on Tuesday",
    "despite objections from residents",
    "for the second time this year",
    "with a narrow majority",
    "at a cost of £4.2 million",
    "— again — after a short delay",
    "in a vote of 7 to 2",
    "following complaints",
    "without much comment",
    "after the storm in March",
];
const TELLS: &[&str] = &[
    "It’s not just a budget — it’s a statement of values.",
    "The decision marks a pivotal moment for the region, highlighting its commitment to growth.",
    "Experts say the move could reshape the sector.",
    "In today’s fast-paced world, every minute counts.",
    "The report delves into the intricate interplay between cost and quality.",
    "This development underscores the growing importance of transparency.",
    "Whether you’re a seasoned commuter or a first-time visitor, the change matters.",
    "It’s important to note that results may vary.",
    "The new hub stands as a testament to the town’s resilience.",
    "Let’s dive into the details.",
    "I hope this helps! Let me know if you’d like a shorter version.",
    "No delays, no excuses, just results.",
];
const LABELS: &[&str] = &[
    "Why it matters:",
    "What happened:",
    "The big picture:",
    "Key takeaways:",
];

fn sentence(rng: &mut Rng, out: &mut String) {
    if rng.below(6) == 0 {
        out.push_str(rng.pick(TELLS));
        return;
    }
    out.push_str(rng.pick(SUBJECTS));
    out.push(' ');
    out.push_str(rng.pick(VERBS));
    out.push(' ');
    out.push_str(rng.pick(OBJECTS));
    if rng.below(2) == 0 {
        out.push(' ');
        out.push_str(rng.pick(TAILS));
    }
    if rng.below(9) == 0 {
        out.push_str(", according to the [minutes](https://example.org/minutes?id=");
        out.push_str(&rng.below(10_000).to_string());
        out.push(')');
    }
    if rng.below(11) == 0 {
        out.push_str(" using the `export` tool");
    }
    out.push('.');
}

fn paragraph(rng: &mut Rng, out: &mut String) {
    if rng.below(5) == 0 {
        out.push_str("**");
        out.push_str(rng.pick(LABELS));
        out.push_str("** ");
    }
    let n = 2 + rng.below(5);
    let mut line = 0;
    for i in 0..n {
        if i > 0 {
            // hard-wrapped lines, as many Markdown files are
            if line > 60 {
                out.push('\n');
                line = 0;
            } else {
                out.push(' ');
            }
        }
        let before = out.len();
        sentence(rng, out);
        line += out.len() - before;
    }
    out.push_str("\n\n");
}

/// One Markdown document of roughly `target` bytes.
pub fn document(rng: &mut Rng, target: usize) -> String {
    let mut out = String::with_capacity(target + 512);
    out.push_str("# Weekly notes ");
    out.push_str(&rng.below(500).to_string());
    out.push_str("\n\n");
    while out.len() < target {
        match rng.below(12) {
            0 => {
                out.push_str("## ");
                out.push_str(rng.pick(OBJECTS));
                out.push_str("\n\n");
            }
            1 => {
                for _ in 0..3 + rng.below(3) {
                    out.push_str("- ");
                    sentence(rng, &mut out);
                    out.push('\n');
                }
                out.push('\n');
            }
            2 => {
                out.push_str("> ");
                sentence(rng, &mut out);
                out.push_str("\n\n");
            }
            3 => out.push_str(
                "```sh\ntelltale check --format json docs/\n# delve into the code\n```\n\n",
            ),
            _ => paragraph(rng, &mut out),
        }
    }
    out
}

/// `count` documents of about `each` bytes, from `seed`.
pub fn documents(seed: u64, count: usize, each: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let size = each / 2 + rng.below(each);
            document(&mut rng, size)
        })
        .collect()
}
