//! Turns the paths on the command line into the list of documents to check:
//! files named explicitly are checked (unless `force_exclude` applies the
//! excludes to them too, as ruff's `--force-exclude` does); folders are walked like
//! ripgrep walks them (`.gitignore`, `.ignore`, hidden files skipped) and
//! only files with a known prose extension are kept; `-` is stdin.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::SourceError;

/// One document to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file on disk.
    Path(PathBuf),
    /// Standard input, shown under `name`.
    Stdin {
        /// The name given with `--stdin-filename`, or `<stdin>`.
        name: String,
    },
}

impl Input {
    /// The name shown in output.
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => display_path(p),
            Input::Stdin { name } => name.clone(),
        }
    }

    /// The path used to detect the markup (the stdin name for stdin).
    pub fn path(&self) -> &Path {
        match self {
            Input::Path(p) => p,
            Input::Stdin { name } => Path::new(name),
        }
    }
}

/// A path as shown to users: without a leading `./`, lossy if not UTF-8.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

/// Gitignore-style globs (`docs/legal/**`, `*.txt`, `vendor/`) matched
/// against paths relative to a root folder: the current folder for
/// `--exclude`, the config file's folder for globs written in it.
#[derive(Clone, Debug)]
pub struct PathGlobs {
    root: PathBuf,
    cwd: PathBuf,
    set: ignore::gitignore::Gitignore,
}

impl PathGlobs {
    /// Compiles `globs` relative to `root`; relative input paths are taken
    /// from `cwd`. A glob that does not compile is an error naming it.
    pub fn new(root: &Path, cwd: &Path, globs: &[String]) -> Result<PathGlobs, String> {
        let cwd = absolute(Path::new("/"), cwd);
        let root = absolute(&cwd, root);
        let mut b = ignore::gitignore::GitignoreBuilder::new(&root);
        for g in globs {
            b.add_line(None, &anchor(&root, g))
                .map_err(|e| format!("glob `{g}`: {e}"))?;
        }
        let set = b.build().map_err(|e| e.to_string())?;
        Ok(PathGlobs { root, cwd, set })
    }

    /// Whether `path` (or a folder above it, below the root) matches.
    pub fn is_match(&self, path: &Path, is_dir: bool) -> bool {
        let abs = absolute(&self.cwd, path);
        let Ok(rel) = abs.strip_prefix(&self.root) else {
            return false;
        };
        if rel.as_os_str().is_empty() {
            return false;
        }
        self.set
            .matched_path_or_any_parents(rel, is_dir)
            .is_ignore()
    }
}

/// A glob as gitignore reads it: `./docs` and a path spelt absolute below
/// the root (`$PWD/vendor`) are anchored at the root (`/docs`,
/// `/vendor`). Left as written, neither matched anything: a walked path
/// has no `.` component, and gitignore takes a leading `/` to mean the
/// root itself, so the absolute spelling was looked for below the root.
fn anchor(root: &Path, glob: &str) -> String {
    let (negation, pattern) = match glob.strip_prefix('!') {
        Some(rest) => ("!", rest),
        None => ("", glob),
    };
    let mut rest = pattern;
    while let Some(r) = rest.strip_prefix("./") {
        rest = r.trim_start_matches('/');
    }
    if rest.len() != pattern.len() {
        return format!("{negation}/{rest}");
    }
    if let Ok(below) = Path::new(pattern).strip_prefix(root)
        && Path::new(pattern).is_absolute()
        && !below.as_os_str().is_empty()
    {
        let below = below.to_string_lossy().replace('\\', "/");
        let slash = if pattern.ends_with('/') { "/" } else { "" };
        return format!("{negation}/{below}{slash}");
    }
    glob.to_string()
}

/// `path` made absolute from `cwd`, with `.` and `..` resolved by name (no
/// file system access, so paths that do not exist yet work too).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What to walk and what to skip.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Paths to leave out when walking folders (files named explicitly are
    /// checked, as ripgrep does, unless `force_exclude`).
    pub exclude: Vec<PathGlobs>,
    /// Apply `exclude` to the paths named on the command line and to the
    /// stdin name too: pre-commit and editors name each file they want
    /// checked, and an excluded file should stay unchecked there as well.
    pub force_exclude: bool,
    /// Name for stdin in output.
    pub stdin_name: Option<String>,
}

/// Expands `paths` into inputs, in a stable order: each argument in turn,
/// folder contents sorted by path. Problems are returned beside the inputs
/// so the rest can still be checked.
///
/// A file reached twice (named twice, or named and inside a named folder,
/// however the path is spelt) is an input once, where it is first reached,
/// as ruff does: checked twice, its findings would count twice, `--diff`
/// would print its hunks twice and `--fix` would rewrite it twice, the
/// second time over the first one's result. Stdin is read once too.
///
/// Folders are walked like ripgrep walks them: hidden files and folders are
/// skipped, `.ignore` files are respected everywhere, and `.gitignore` (with
/// `.git/info/exclude` and the global excludes file) inside git repositories.
pub fn discover(
    paths: &[PathBuf],
    options: &WalkOptions,
    is_prose: impl Fn(&Path) -> bool,
) -> (Vec<Input>, Vec<SourceError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut seen = Seen::new(paths.len() > 1);
    let excluded = |path: &Path, is_dir: bool| {
        options.force_exclude && options.exclude.iter().any(|g| g.is_match(path, is_dir))
    };
    for path in paths {
        if path.as_os_str() == "-" {
            if options
                .stdin_name
                .as_ref()
                .is_some_and(|name| excluded(Path::new(name), false))
            {
                continue;
            }
            if !seen.first_named(path) {
                continue;
            }
            inputs.push(Input::Stdin {
                name: options
                    .stdin_name
                    .clone()
                    .unwrap_or_else(|| "<stdin>".to_string()),
            });
            continue;
        }
        let is_dir = path.is_dir();
        if excluded(path, is_dir) {
            continue;
        }
        if !is_dir {
            // named explicitly: checked whatever its extension (a missing
            // file is reported when it is read)
            if seen.first_named(path) {
                inputs.push(Input::Path(path.clone()));
            }
            continue;
        }
        let mut found = Vec::new();
        let mut walk = ignore::WalkBuilder::new(path);
        // as ripgrep: .gitignore counts only inside a git repository
        walk.require_git(true).follow_links(false);
        let exclude = options.exclude.clone();
        walk.filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            e.depth() == 0 || !exclude.iter().any(|g| g.is_match(e.path(), is_dir))
        });
        for entry in walk.build() {
            match entry {
                Ok(e) => {
                    let p = e.path();
                    if e.file_type().is_some_and(|t| t.is_file()) && is_prose(p) {
                        found.push(p.to_path_buf());
                    }
                }
                Err(e) => errors.push(SourceError::Walk(e.to_string())),
            }
        }
        found.sort_by_cached_key(|p| walk_order_key(p));
        inputs.extend(found.into_iter().filter(|p| seen.first(p)).map(Input::Path));
    }
    (inputs, errors)
}

/// The paths already made inputs, by their absolute spelling with `.` and
/// `..` resolved by name. A file named on the command line that is a
/// symbolic link is keyed by its target, which `--fix` rewrites: named
/// beside the folder that holds its target (`docs/ README.md`, with
/// README.md a link into docs/), it is one file. A walk does not follow
/// links, so the files it finds are keyed by name alone, which costs no
/// file system call. With a single path argument nothing can repeat, and
/// nothing is kept.
struct Seen {
    cwd: Option<PathBuf>,
    paths: Option<HashSet<PathBuf>>,
}

impl Seen {
    fn new(active: bool) -> Seen {
        Seen {
            cwd: if active {
                std::env::current_dir().ok()
            } else {
                None
            },
            paths: active.then(HashSet::new),
        }
    }

    /// Whether `path`, found by a walk, is reached here for the first time.
    fn first(&mut self, path: &Path) -> bool {
        let Some(paths) = &mut self.paths else {
            return true;
        };
        paths.insert(absolute(self.cwd.as_deref().unwrap_or(Path::new("")), path))
    }

    /// Whether `path`, named on the command line, is reached here for the
    /// first time (`-` is stdin).
    fn first_named(&mut self, path: &Path) -> bool {
        let Some(paths) = &mut self.paths else {
            return true;
        };
        if path.as_os_str() == "-" {
            return paths.insert(path.to_path_buf());
        }
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        match std::fs::canonicalize(path) {
            Ok(target) if link => paths.insert(target),
            _ => self.first(path),
        }
    }
}

/// A key that sorts paths found by one walk as `Path`'s own order does,
/// component by component: the path's bytes with each separator made a
/// NUL, which no name holds, so it ranks below every byte a name can hold.
/// The paths share the walked folder's spelling as a prefix and below it
/// are joined with single separators, so no `.` or doubled separator
/// makes the two orders differ. Comparing keys is a `memcmp`, where
/// splitting both paths into components for every comparison was most of
/// discovery's cost.
fn walk_order_key(path: &Path) -> Vec<u8> {
    let mut key = path.as_os_str().as_encoded_bytes().to_vec();
    for b in &mut key {
        if std::path::is_separator(*b as char) {
            *b = 0;
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for f in files {
            let p = dir.path().join(f);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(&p, "text\n").expect("write");
        }
        dir
    }

    fn names(dir: &Path, inputs: &[Input]) -> Vec<String> {
        inputs
            .iter()
            .map(|i| {
                let p = i.path();
                p.strip_prefix(dir)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    fn is_md_or_txt(p: &Path) -> bool {
        p.extension().is_some_and(|e| e == "md" || e == "txt")
    }

    #[test]
    fn walks_sorted_prose_only_skipping_hidden_and_ignored() {
        let dir = tree(&[
            "b.md",
            "a/z.txt",
            "a/y.md",
            "code.rs",
            ".hidden/x.md",
            ".secret.md",
            "build/out.md",
            "notes/skip.md",
            "notes/keep.md",
        ]);
        fs::create_dir(dir.path().join(".git")).expect("git dir");
        fs::write(dir.path().join(".gitignore"), "build/\n").expect("gitignore");
        fs::write(dir.path().join(".ignore"), "notes/skip.md\n").expect("ignore");
        let (inputs, errors) = discover(
            &[dir.path().to_path_buf()],
            &WalkOptions::default(),
            is_md_or_txt,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            names(dir.path(), &inputs),
            ["a/y.md", "a/z.txt", "b.md", "notes/keep.md"]
        );
    }

    #[test]
    fn gitignore_needs_a_repository_like_ripgrep() {
        let dir = tree(&["build/out.md", "keep.md"]);
        fs::write(dir.path().join(".gitignore"), "build/\n").expect("gitignore");
        let (inputs, _) = discover(
            &[dir.path().to_path_buf()],
            &WalkOptions::default(),
            is_md_or_txt,
        );
        assert_eq!(names(dir.path(), &inputs), ["build/out.md", "keep.md"]);
    }

    /// `docs/legal/**` and `vendor`, relative to `root`.
    fn legal_and_vendor(root: &Path) -> PathGlobs {
        PathGlobs::new(
            root,
            root,
            &["docs/legal/**".to_string(), "vendor".to_string()],
        )
        .expect("globs compile")
    }

    #[test]
    fn excludes_are_relative_to_their_root_and_prune_folders() {
        let dir = tree(&[
            "docs/legal/terms.md",
            "docs/guide.md",
            "vendor/x.md",
            "top.md",
        ]);
        let globs = legal_and_vendor(dir.path());
        let options = WalkOptions {
            exclude: vec![globs.clone()],
            force_exclude: false,
            stdin_name: None,
        };
        let (inputs, _) = discover(&[dir.path().to_path_buf()], &options, is_md_or_txt);
        assert_eq!(names(dir.path(), &inputs), ["docs/guide.md", "top.md"]);
        // a relative path from the root's own folder matches too
        assert!(globs.is_match(Path::new("./docs/legal/terms.md"), false));
        assert!(globs.is_match(&dir.path().join("vendor/deep/a.md"), false));
        assert!(!globs.is_match(Path::new("/elsewhere/vendor/a.md"), false));
        // named explicitly, an excluded file is still checked (as ripgrep does)
        let named = dir.path().join("vendor/x.md");
        let (inputs, _) = discover(std::slice::from_ref(&named), &options, is_md_or_txt);
        assert_eq!(inputs, [Input::Path(named)]);
    }

    #[test]
    fn force_exclude_leaves_out_named_files_folders_and_stdin_names() {
        let dir = tree(&["docs/legal/terms.md", "docs/guide.md", "vendor/x.md"]);
        let globs = legal_and_vendor(dir.path());
        let options = WalkOptions {
            exclude: vec![globs],
            force_exclude: true,
            stdin_name: Some(dir.path().join("vendor/pasted.md").display().to_string()),
        };
        let named = [
            dir.path().join("docs/legal/terms.md"),
            dir.path().join("docs/guide.md"),
            dir.path().join("vendor"),
            PathBuf::from("-"),
        ];
        let (inputs, errors) = discover(&named, &options, is_md_or_txt);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(names(dir.path(), &inputs), ["docs/guide.md"]);
        // a stdin name outside the excludes is kept
        let options = WalkOptions {
            stdin_name: Some("notes.md".to_string()),
            ..options
        };
        let (inputs, _) = discover(&[PathBuf::from("-")], &options, is_md_or_txt);
        assert_eq!(
            inputs,
            [Input::Stdin {
                name: "notes.md".to_string()
            }]
        );
    }

    #[test]
    fn a_file_reached_twice_is_one_input_where_first_reached() {
        let dir = tree(&["a.md", "sub/b.md", "sub/c.md"]);
        let d = dir.path();
        let named = [
            d.join("sub/c.md"),
            d.join("sub"),
            d.join("a.md"),
            d.join("./sub/../a.md"),
            d.to_path_buf(),
            PathBuf::from("-"),
            PathBuf::from("-"),
        ];
        let (inputs, errors) = discover(&named, &WalkOptions::default(), is_md_or_txt);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            names(d, &inputs),
            ["sub/c.md", "sub/b.md", "a.md", "<stdin>"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_named_link_and_its_walked_target_are_one_input() {
        let dir = tree(&["docs/index.md", "docs/other.md"]);
        // canonical, as the current folder is: a temporary folder's path
        // may itself run through a link
        let d = fs::canonicalize(dir.path()).expect("canonical");
        std::os::unix::fs::symlink("docs/index.md", d.join("README.md")).expect("symlink");
        let named = [d.join("README.md"), d.join("docs")];
        let (inputs, errors) = discover(&named, &WalkOptions::default(), is_md_or_txt);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(names(&d, &inputs), ["README.md", "docs/other.md"]);
    }

    #[test]
    fn dot_slash_and_absolute_globs_are_anchored_at_the_root() {
        let dir = tree(&[
            "docs/legal/terms.md",
            "docs/guide.md",
            "vendor/x.md",
            "top.md",
        ]);
        let root = dir.path();
        let absolute_vendor = root.join("vendor").display().to_string();
        let globs = PathGlobs::new(root, root, &["./docs/legal".to_string(), absolute_vendor])
            .expect("globs compile");
        let options = WalkOptions {
            exclude: vec![globs],
            ..WalkOptions::default()
        };
        let (inputs, _) = discover(&[root.to_path_buf()], &options, is_md_or_txt);
        assert_eq!(names(root, &inputs), ["docs/guide.md", "top.md"]);
        assert_eq!(anchor(Path::new("/r"), "!./a/b"), "!/a/b");
        assert_eq!(anchor(Path::new("/r"), "/r/a/"), "/a/");
        assert_eq!(anchor(Path::new("/r"), "/elsewhere/a"), "/elsewhere/a");
        assert_eq!(anchor(Path::new("/r"), "*.md"), "*.md");
    }

    #[test]
    fn a_bad_glob_is_an_error_naming_it() {
        let err = PathGlobs::new(Path::new("/"), Path::new("/"), &["a/**{".to_string()])
            .expect_err("unclosed brace");
        assert!(err.contains("a/**{"), "{err}");
    }

    #[test]
    fn absolute_resolves_dots_by_name() {
        assert_eq!(
            absolute(Path::new("/w/x"), Path::new("../y/./z.md")),
            PathBuf::from("/w/y/z.md")
        );
    }

    #[test]
    fn walk_order_is_path_order() {
        let dir = tree(&[
            "a.md", "a-b.md", "a/b.md", "a/b/c.md", "a-b/c.md", "ab/c.md", "a.md.txt", "A.md",
            "b.md", "é/x.md",
        ]);
        let (inputs, errors) = discover(
            &[dir.path().to_path_buf()],
            &WalkOptions::default(),
            is_md_or_txt,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let found: Vec<&Path> = inputs.iter().map(Input::path).collect();
        let mut by_components = found.clone();
        by_components.sort();
        assert_eq!(found, by_components);
        assert_eq!(found.len(), 10);
    }
}
