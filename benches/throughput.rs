//! Throughput of each stage, in bytes per second, on generated prose
//! (`corpus.rs`): tokenization, Markdown extraction, the full rule set on a
//! 1 MB document, and 2,000 small documents through extract + check.
//!
//! `cargo bench --bench throughput` runs them. To write the generated corpus
//! to disk for whole-process measurements (`docs/performance.md`), set
//! `TELLTALE_WRITE_CORPUS=DIR` (2,000 files, about 10 MB) and optionally
//! `TELLTALE_BIG_FILE=PATH` (one file of about 100 MB); the bench then only
//! writes and exits.

use criterion::{Criterion, Throughput, criterion_group};
use std::hint::black_box;

use telltale::engine::{self, Selection};
use telltale::rules::RuleSet;
use telltale::source;
use telltale::text::{Document, Markup};

#[path = "corpus.rs"]
mod corpus;

const SEED: u64 = 20_261_125;

fn one_megabyte() -> String {
    corpus::document(&mut corpus::Rng::new(SEED), 1 << 20)
}

fn tokenize(c: &mut Criterion) {
    let text = one_megabyte();
    let mut g = c.benchmark_group("tokenize");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("plain 1 MB", |b| {
        b.iter(|| Document::plain(black_box(text.clone())))
    });
    g.finish();
}

fn markdown(c: &mut Criterion) {
    let text = one_megabyte();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("markdown 1 MB", |b| {
        b.iter(|| source::document(black_box(text.clone()), Markup::Markdown))
    });
    g.finish();
}

fn rules_on_one_document(c: &mut Criterion) {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let selection = Selection::all(&rules);
    let text = one_megabyte();
    let doc = source::document(text.clone(), Markup::Markdown);
    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("check 1 MB (extracted)", |b| {
        b.iter(|| engine::check(black_box(&doc), &rules, &selection))
    });
    g.bench_function("extract + check 1 MB", |b| {
        b.iter(|| {
            let doc = source::document(black_box(text.clone()), Markup::Markdown);
            engine::check(&doc, &rules, &selection)
        })
    });
    g.finish();
}

fn many_small_documents(c: &mut Criterion) {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let selection = Selection::all(&rules);
    let docs = corpus::documents(SEED, 2000, 5 * 1024);
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut g = c.benchmark_group("documents");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("2,000 small, extract + check", |b| {
        b.iter(|| {
            for text in &docs {
                let doc = source::document(text.clone(), Markup::Markdown);
                black_box(engine::check(&doc, &rules, &selection));
            }
        })
    });
    g.finish();
}

/// Writes the generated corpus for whole-process measurements.
fn write_corpus() -> bool {
    let mut wrote = false;
    if let Some(dir) = std::env::var_os("TELLTALE_WRITE_CORPUS") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("corpus folder can be created");
        for (i, text) in corpus::documents(SEED, 2000, 5 * 1024).iter().enumerate() {
            std::fs::write(dir.join(format!("doc{i:04}.md")), text).expect("corpus file written");
        }
        eprintln!("wrote 2,000 documents to {}", dir.display());
        wrote = true;
    }
    if let Some(path) = std::env::var_os("TELLTALE_BIG_FILE") {
        let text = corpus::document(&mut corpus::Rng::new(SEED + 1), 100 << 20);
        std::fs::write(&path, text).expect("big file written");
        eprintln!(
            "wrote about 100 MB to {}",
            std::path::Path::new(&path).display()
        );
        wrote = true;
    }
    wrote
}

criterion_group!(
    benches,
    tokenize,
    markdown,
    rules_on_one_document,
    many_small_documents
);

fn main() {
    if write_corpus() {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
