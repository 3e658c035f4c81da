//! Which objects of the input were written to be applied together.
//!
//! Repositories hold alternatives side by side: `deploy/aws/deploy.yaml` and
//! `deploy/kind/deploy.yaml` define the same controller twice, examples
//! reuse `app: nginx` in unrelated directories. A Service's port or a
//! controller's selector is therefore checked against its closest relatives
//! in the file tree: the templates in its own file, else in its directory,
//! else in the nearest enclosing directory that has any — so a Service in
//! `svc/` still meets its Deployment in `deploy/`, but an example in
//! `guestbook-go/` is not judged against the pods of `guestbook/legacy/`.

use crate::catalog::{Catalog, TemplateEntry};
use crate::source::FileId;

/// Distance of two files in the directory tree: 0 for the same file, 1 for
/// the same directory, one more per directory level between them.
fn distance(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let (da, db) = (dir(a), dir(b));
    let common = da.iter().zip(db.iter()).take_while(|(x, y)| x == y).count();
    1 + (da.len() - common) + (db.len() - common)
}

/// The entries closest to `file` in the file tree (all of them when they
/// are equally far).
pub fn nearest<'c, 'a>(
    catalog: &Catalog<'a>,
    file: FileId,
    entries: Vec<&'c TemplateEntry<'a>>,
) -> Vec<&'c TemplateEntry<'a>> {
    let here = catalog.path(file);
    let score = |e: &TemplateEntry<'a>| {
        catalog
            .object(e.object)
            .map_or(usize::MAX, |o| distance(here, catalog.path(o.file)))
    };
    let Some(best) = entries.iter().map(|e| score(e)).min() else {
        return entries;
    };
    entries.into_iter().filter(|e| score(e) == best).collect()
}

/// Two files written to be applied together: the same file, or the same
/// directory.
pub fn same_directory(catalog: &Catalog<'_>, a: FileId, b: FileId) -> bool {
    if a == b {
        return true;
    }
    let (pa, pb) = (catalog.path(a), catalog.path(b));
    parent(pa) == parent(pb)
}

/// The directory components of a path (the file name dropped).
fn dir(path: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    parts.pop();
    parts
}

fn parent(path: &str) -> &str {
    path.rfind(['/', '\\'])
        .and_then(|i| path.get(..i))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn nearer_in_the_tree_is_smaller() {
        assert_eq!(distance("a/svc.yaml", "a/svc.yaml"), 0);
        assert_eq!(distance("a/svc.yaml", "a/deploy.yaml"), 1);
        // A subdirectory is farther than a sibling file.
        assert!(distance("es/svc.yaml", "es/prod/rc.yaml") > distance("es/svc.yaml", "es/rc.yaml"));
        // svc/ and deploy/ under one root still meet.
        assert_eq!(distance("k8s/svc/web.yaml", "k8s/deploy/web.yaml"), 3);
        assert!(distance("k8s/svc/web.yaml", "other/deploy/web.yaml") > 3);
    }
}
