use super::*;
use std::fs;
use tempfile::TempDir;

/// A temp tree from `(relative path, contents)` pairs.
fn tree(files: &[&str]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        let path = dir.path().join(f);
        if f.ends_with('/') {
            fs::create_dir_all(&path).unwrap();
        } else {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "kind: ConfigMap\n").unwrap();
        }
    }
    dir
}

fn root(dir: &TempDir) -> String {
    dir.path().to_str().unwrap().to_string()
}

/// Discovers `paths` (relative to the temp dir) and shows results relative
/// to it, so that expectations read like what a user in that dir would see.
fn run(dir: &TempDir, paths: &[&str], exclude: &[&str]) -> Vec<Found> {
    let base = root(dir);
    let abs = |p: &str| {
        if p == "-" {
            p.to_string()
        } else {
            format!("{base}/{p}")
        }
    };
    let opts = DiscoverOptions {
        paths: paths.iter().map(|p| abs(p)).collect(),
        exclude: exclude.iter().map(|s| s.to_string()).collect(),
    };
    let strip = |p: &str| p.strip_prefix(&format!("{base}/")).unwrap_or(p).to_string();
    discover(&opts)
        .entries
        .into_iter()
        .map(|e| match e {
            Found::Stdin => Found::Stdin,
            Found::File(p) => Found::File(strip(&p)),
            Found::Skipped { path, reason, help } => Found::Skipped {
                path: strip(&path),
                reason,
                help: help.replace(&format!("{base}/"), "").replace(&base, "."),
            },
            Found::Error { path, message } => Found::Error {
                path: strip(&path),
                message,
            },
        })
        .collect()
}

fn files(list: &[&str]) -> Vec<Found> {
    list.iter().map(|f| Found::File(f.to_string())).collect()
}

#[test]
fn walks_manifests_sorted_skipping_hidden_and_other_extensions() {
    let dir = tree(&[
        "b.yaml",
        "a.yml",
        "c.JSON",
        "README.md",
        "sub/d.yaml",
        "sub-e.yaml",
        ".hidden/e.yaml",
        ".git/f.yaml",
        ".kwire.yaml",
        "empty/",
    ]);
    assert_eq!(
        run(&dir, &["."], &[]),
        files(&["a.yml", "b.yaml", "c.JSON", "sub-e.yaml", "sub/d.yaml"])
    );
}

#[test]
fn duplicates_and_stdin() {
    let dir = tree(&["a.yaml", "notes.txt"]);
    assert_eq!(
        run(&dir, &["a.yaml", "-", ".", "notes.txt", "-"], &[]),
        vec![
            Found::Stdin,
            Found::File("a.yaml".into()),
            Found::File("notes.txt".into()),
        ]
    );
}

#[test]
fn excludes_match_tails_components_and_basenames() {
    let dir = tree(&[
        "app/a.yaml",
        "app/legacy/old.yaml",
        "legacy/x.yaml",
        "app/b.json",
        "app/keep.yaml",
    ]);
    assert_eq!(
        run(&dir, &["."], &["legacy/**", "*.json"]),
        files(&["app/a.yaml", "app/keep.yaml"])
    );
    assert_eq!(
        run(&dir, &["."], &["legacy"]),
        files(&["app/a.yaml", "app/b.json", "app/keep.yaml"])
    );
    // Explicit files are excluded too.
    assert_eq!(
        run(&dir, &["app/b.json", "app/a.yaml"], &["*.json"]),
        files(&["app/a.yaml"])
    );
    let found = run(&dir, &["."], &["[oops"]);
    assert!(
        found.iter().any(|f| matches!(f,
            Found::Error { path, message } if path == "[oops" && message.starts_with("invalid --exclude"))),
        "{found:?}"
    );
}

#[test]
fn glob_patterns() {
    let dir = tree(&[
        "k8s/a.yaml",
        "k8s/sub/b.yaml",
        "k8s/sub/c.json",
        "k8s/.h/d.yaml",
        "k8s/x.txt",
    ]);
    assert_eq!(
        run(&dir, &["k8s/**/*.yaml"], &[]),
        files(&["k8s/a.yaml", "k8s/sub/b.yaml"])
    );
    assert_eq!(run(&dir, &["k8s/*.yaml"], &[]), files(&["k8s/a.yaml"]));
    assert_eq!(
        run(&dir, &["k8s/*"], &[]),
        files(&["k8s/a.yaml", "k8s/x.txt"])
    );
    assert_eq!(
        run(&dir, &["k8s/s?b/*"], &["*.json"]),
        files(&["k8s/sub/b.yaml"])
    );
    assert_eq!(
        run(&dir, &["k8s/*.yml"], &[]),
        vec![Found::Error {
            path: "k8s/*.yml".into(),
            message: "no files match this pattern".into()
        }]
    );
}

#[test]
fn gitignore_only_inside_a_git_repo() {
    let dir = tree(&["a.yaml", "ignored.yaml", "gen/b.yaml"]);
    fs::write(dir.path().join(".gitignore"), "ignored.yaml\ngen/\n").unwrap();
    assert_eq!(
        run(&dir, &["."], &[]),
        files(&["a.yaml", "gen/b.yaml", "ignored.yaml"])
    );
    fs::create_dir(dir.path().join(".git")).unwrap();
    assert_eq!(run(&dir, &["."], &[]), files(&["a.yaml"]));
    // A file named explicitly is taken even when ignored.
    assert_eq!(run(&dir, &["ignored.yaml"], &[]), files(&["ignored.yaml"]));
}

#[test]
fn kustomization_files_are_skipped() {
    let dir = tree(&[
        "base/kustomization.yaml",
        "base/deploy.yaml",
        "over/Kustomization",
    ]);
    let skipped = |path: &str, dir: &str| Found::Skipped {
        path: path.into(),
        reason: "kustomization file: not objects to apply".into(),
        help: format!("render it first: `kustomize build {dir} | kwire lint -`"),
    };
    assert_eq!(
        run(&dir, &[".", "over/Kustomization"], &[]),
        vec![
            Found::File("base/deploy.yaml".into()),
            skipped("base/kustomization.yaml", "base"),
            skipped("over/Kustomization", "over"),
        ]
    );
}

#[test]
fn helm_chart_is_skipped_once() {
    let dir = tree(&[
        "app.yaml",
        "charts/web/Chart.yaml",
        "charts/web/values.yaml",
        "charts/web/templates/deploy.yaml",
        "charts/web/charts/sub/Chart.yaml",
        "charts/web/charts/sub/templates/x.yaml",
        "notchart/Chart.yaml",
    ]);
    let skipped = Found::Skipped {
        path: "charts/web/Chart.yaml".into(),
        reason: "Helm chart: its templates are not objects until rendered".into(),
        help: "render it first: `helm template NAME charts/web | kwire lint -`".into(),
    };
    let mut expected = files(&["app.yaml"]);
    expected.push(skipped.clone());
    expected.push(Found::File("notchart/Chart.yaml".into()));
    assert_eq!(run(&dir, &["."], &[]), expected);
    assert_eq!(run(&dir, &["charts/web"], &[]), vec![skipped.clone()]);
    assert_eq!(
        run(&dir, &["charts/web/templates"], &[]),
        vec![skipped.clone()]
    );
    assert_eq!(run(&dir, &["**/*.yaml"], &["notchart"]), {
        let mut e = files(&["app.yaml"]);
        e.push(skipped);
        e
    });
    // A glob that asks for nothing inside the chart does not mention it.
    assert_eq!(run(&dir, &["*/*/*.json", "*.yaml"], &[]), {
        let mut e = vec![Found::Error {
            path: "*/*/*.json".into(),
            message: "no files match this pattern".into(),
        }];
        e.insert(0, Found::File("app.yaml".into()));
        e.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        e
    });
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error_not_a_hang() {
    let dir = tree(&["a/x.yaml"]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
    let found = run(&dir, &["."], &[]);
    assert!(found.contains(&Found::File("a/x.yaml".into())), "{found:?}");
    assert!(
        found.iter().any(|f| matches!(f,
            Found::Error { path, message } if path == "a/loop" && message.contains("loop"))),
        "{found:?}"
    );
    let globbed = run(&dir, &["**/*.yaml"], &[]);
    assert!(
        globbed.contains(&Found::File("a/x.yaml".into())),
        "{globbed:?}"
    );
}

#[test]
fn missing_path_is_an_error() {
    let dir = tree(&["a.yaml"]);
    assert_eq!(
        run(&dir, &["nope.yaml", "a.yaml"], &[]),
        vec![
            Found::File("a.yaml".into()),
            Found::Error {
                path: "nope.yaml".into(),
                message: "no such file or directory".into()
            },
        ]
    );
}

#[test]
fn displayed_paths_drop_leading_dot_slash() {
    assert_eq!(normalize("./manifests/x.yaml"), "manifests/x.yaml");
    assert_eq!(normalize("././x.yaml"), "x.yaml");
    assert_eq!(normalize(".//x.yaml"), "x.yaml");
    assert_eq!(normalize("./"), ".");
    assert_eq!(normalize("k8s/./a//x.yaml"), "k8s/a/x.yaml");
    assert_eq!(normalize("/"), "/");
    assert_eq!(normalize("../x.yaml"), "../x.yaml");
    assert_eq!(normalize("/abs/x.yaml"), "/abs/x.yaml");
    let spec = GlobSpec::new("*.yaml").unwrap();
    assert_eq!((spec.base.as_str(), spec.strip_dot), (".", true));
    assert!(spec.matches("./a.yaml") && !spec.matches("./d/a.yaml"));
    let spec = GlobSpec::new("/k8s/**/*.yaml").unwrap();
    assert_eq!((spec.base.as_str(), spec.max_depth), ("/k8s", None));
}
