//! JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`,
//! Jenkins, Azure DevOps): one `<testsuite>` per file, one `<testcase>` per
//! object (`name` = `Kind/namespace/name`, `classname` = the file), a
//! `<failure>` per finding on that object. Findings outside any object (a
//! YAML syntax error, an unreadable file) go to a test case named after the
//! file. Objects without findings are passing test cases, so the totals
//! show how much was checked.

use super::xml::escape;
use super::{Report, ReportObject, location, message_with_help};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Default)]
struct Suite<'a> {
    /// Test cases in order: `None` is the file-level case.
    cases: Vec<(Option<&'a ReportObject>, Vec<&'a Diagnostic>)>,
}

pub fn write_junit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut suites: BTreeMap<FileId, Suite> = BTreeMap::new();
    let reported = |f: FileId| {
        report
            .reported_files
            .is_none_or(|r| r.binary_search(&f).is_ok())
    };
    for obj in report.objects.iter().filter(|o| reported(o.file)) {
        suites
            .entry(obj.file)
            .or_default()
            .cases
            .push((Some(obj), Vec::new()));
    }
    for d in report.diagnostics {
        let suite = suites.entry(d.file).or_default();
        let owner = suite.cases.iter().position(|(o, _)| {
            o.is_some_and(|o| o.span.start <= d.span.start && d.span.end <= o.span.end)
        });
        let index = match owner {
            Some(i) => i,
            None => match suite.cases.iter().position(|(o, _)| o.is_none()) {
                Some(i) => i,
                None => {
                    suite.cases.insert(0, (None, Vec::new()));
                    0
                }
            },
        };
        if let Some((_, failures)) = suite.cases.get_mut(index) {
            failures.push(d);
        }
    }

    let tests: usize = suites.values().map(|s| s.cases.len()).sum();
    let failed = |s: &Suite| s.cases.iter().filter(|(_, f)| !f.is_empty()).count();
    let failures: usize = suites.values().map(failed).sum();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"kwire\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    )?;
    for (file, suite) in &suites {
        let path = report
            .files
            .get(*file as usize)
            .map_or("<unknown>", |f| f.path.as_str());
        let path = escape(path);
        writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            suite.cases.len(),
            failed(suite)
        )?;
        for (obj, diags) in &suite.cases {
            let name = obj.map_or(path.clone(), |o| escape(&o.id));
            let open =
                format!("    <testcase name=\"{name}\" classname=\"{path}\" file=\"{path}\"");
            if diags.is_empty() {
                writeln!(out, "{open}/>")?;
                continue;
            }
            writeln!(out, "{open}>")?;
            for d in diags {
                let (p, start, _) = location(report, d.file, d.span);
                let text = format!(
                    "{p}:{}:{}: {}[{}] {}",
                    start.line,
                    start.column,
                    d.severity.as_str(),
                    d.code,
                    message_with_help(d)
                );
                writeln!(
                    out,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    escape(d.code),
                    escape(&format!("{}: {}", d.code, d.message)),
                    escape(&text)
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
