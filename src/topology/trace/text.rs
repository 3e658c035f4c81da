//! `kwire trace` for people: each path as numbered hops with `file:line`.

use std::fmt::Write as _;

use super::{Result, TraceReport};

pub fn render(report: &TraceReport) -> String {
    let mut out = String::new();
    let r = &report.request;
    let from = match &r.from {
        Some(ns) => format!("from namespace {ns}"),
        None => "from outside the cluster".to_string(),
    };
    let _ = writeln!(out, "{} {} ({from})", r.method, r.url);
    for (i, path) in report.paths.iter().enumerate() {
        out.push('\n');
        let share = if (path.share - 1.0).abs() < 1e-9 {
            String::new()
        } else {
            format!(" [{}]", percent(path.share))
        };
        let unit = path
            .unit
            .as_ref()
            .map(|u| format!(" (unit {u})"))
            .unwrap_or_default();
        let _ = writeln!(out, "path {}: via {}{unit}{share}", i + 1, path.entry);
        for (n, hop) in path.hops.iter().enumerate() {
            let at = match (&hop.file, hop.line) {
                (Some(f), Some(l)) => format!("  {f}:{l}"),
                (Some(f), None) => format!("  {f}"),
                _ => String::new(),
            };
            let object = hop.object.as_deref().unwrap_or(&hop.kind);
            let object = match hop.kind.as_str() {
                "Pods" => format!("pods of {object}"),
                "DNS" => format!("DNS → {object}"),
                _ => object.to_string(),
            };
            let _ = writeln!(out, "  {}. {object}{at}", n + 1);
            let _ = writeln!(out, "     {}", hop.step);
            for note in &hop.notes {
                let _ = writeln!(out, "     note: {note}");
            }
        }
        let o = &path.outcome;
        let verdict = match o.result {
            Result::Delivered => "delivered",
            Result::Dropped => "DROPPED",
            Result::Redirected => "answered by the proxy",
            Result::External => "leaves the cluster",
            Result::Assumed => "assumed",
        };
        let status = o.status.map(|s| format!(" ({s})")).unwrap_or_default();
        let reason = o
            .reason
            .as_ref()
            .map(|r| format!(" [{r}]"))
            .unwrap_or_default();
        let _ = writeln!(out, "  → {verdict}{status}{reason}: {}", o.message);
    }
    if report.omitted > 0 {
        let _ = writeln!(
            out,
            "\n… and {} more paths (at most {} are listed)",
            report.omitted,
            super::MAX_PATHS
        );
    }
    out
}

/// `90%`, `33.3%`.
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{:.0}%", p.round())
    } else {
        format!("{p:.1}%")
    }
}
