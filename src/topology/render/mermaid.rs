//! `kwire graph -f mermaid`: a Mermaid `flowchart LR`.
//!
//! Node ids are `n0`, `n1`, … and subgraph ids `g0`, `u0`, …; the object
//! text goes in double-quoted labels, where Mermaid's entity codes stand for
//! every character that could end the label or be read as markup.

use std::io;

use super::view::{Item, Role, View};
use crate::topology::Graph;
use crate::topology::model::Relation;

pub fn write(graph: &Graph, out: &mut dyn io::Write) -> io::Result<()> {
    let view = View::new(graph);
    writeln!(out, "flowchart LR")?;

    let mut unit_open: Option<Option<&str>> = None;
    let mut unit_count = 0usize;
    for (g, group) in view.groups.iter().enumerate() {
        if view.multi_unit && unit_open != Some(group.unit) {
            if unit_open.is_some() {
                writeln!(out, "  end")?;
            }
            writeln!(
                out,
                "  subgraph u{unit_count}[\"{}\"]",
                escape(&format!("unit {}", group.unit.unwrap_or("(none)")))
            )?;
            unit_count += 1;
            unit_open = Some(group.unit);
        }
        let indent = if view.multi_unit { "    " } else { "  " };
        writeln!(out, "{indent}subgraph g{g}[\"{}\"]", escape(&group.title()))?;
        for &i in &group.items {
            let Some(item) = view.items.get(i) else {
                continue;
            };
            // The name (the second line) in bold.
            let lines: Vec<String> = item
                .label_lines()
                .iter()
                .enumerate()
                .map(|(n, line)| match n {
                    1 => format!("<b>{}</b>", escape(line)),
                    _ => escape(line),
                })
                .collect();
            let label = lines.join("<br/>");
            let shape = match item.role {
                Role::Entry => format!("{{{{\"{label}\"}}}}"),
                Role::Service => format!("([\"{label}\"])"),
                Role::Config => format!("[/\"{label}\"/]"),
                _ => format!("[\"{label}\"]"),
            };
            writeln!(out, "{indent}  n{i}{shape}")?;
        }
        writeln!(out, "{indent}end")?;
    }
    if unit_open.is_some() {
        writeln!(out, "  end")?;
    }

    let mut unresolved = Vec::new();
    let mut flagged = Vec::new();
    for (k, (from, to, edge)) in view.edges.iter().enumerate() {
        let mut text = vec![edge.relation.as_str().to_string()];
        if let Some(label) = &edge.label {
            text.push(label.to_string());
        }
        if let Some(code) = &edge.finding {
            text.push(code.to_string());
        } else if edge.assumed {
            text.push("assumed".to_string());
        }
        let arrow = if edge.assumed && edge.finding.is_none() {
            "-.->"
        } else if !edge.resolved {
            unresolved.push(k);
            "-.->"
        } else {
            if edge.finding.is_some() {
                flagged.push(k);
            }
            match edge.relation {
                Relation::Backend | Relation::Calls => "==>",
                Relation::Uses | Relation::Scales => "-.->",
                _ => "-->",
            }
        };
        writeln!(
            out,
            "  n{from} {arrow}|\"{}\"| n{to}",
            escape(&text.join(" "))
        )?;
    }

    writeln!(
        out,
        "  classDef entry fill:#ffe0b2,stroke:#e65100,stroke-width:2px"
    )?;
    writeln!(out, "  classDef exposed stroke:#e65100,stroke-width:2px")?;
    writeln!(out, "  classDef simulated stroke-dasharray:4 3")?;
    writeln!(
        out,
        "  classDef config fill:#eeeeee,stroke:#888888,font-size:10px"
    )?;
    writeln!(
        out,
        "  classDef finding stroke:#cc0000,stroke-width:2px,color:#cc0000"
    )?;
    writeln!(
        out,
        "  classDef unresolved fill:#ffffff,stroke:#cc0000,stroke-dasharray:4 3,color:#cc0000"
    )?;
    writeln!(
        out,
        "  classDef assumed fill:#ffffff,stroke:#888888,stroke-dasharray:4 3,color:#666666"
    )?;
    let classes: [(&str, ClassTest); 7] = [
        ("entry", |i| i.role == Role::Entry),
        ("exposed", |i| i.exposed && i.role != Role::Entry),
        ("simulated", |i| i.simulated),
        ("config", |i| i.role == Role::Config),
        ("finding", |i| !i.findings.is_empty()),
        ("unresolved", |i| i.role == Role::Missing && !i.assumed),
        ("assumed", |i| i.role == Role::Missing && i.assumed),
    ];
    for (class, applies) in classes {
        let ids: Vec<String> = view
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| applies(item))
            .map(|(i, _)| format!("n{i}"))
            .collect();
        // Short lines: one `class` statement per 50 nodes.
        for chunk in ids.chunks(50) {
            writeln!(out, "  class {} {class}", chunk.join(","))?;
        }
    }
    for (links, style) in [
        (
            &unresolved,
            "stroke:#cc0000,stroke-dasharray:4 3,color:#cc0000",
        ),
        (&flagged, "stroke:#cc0000,color:#cc0000"),
    ] {
        for chunk in links.chunks(50) {
            let ids: Vec<String> = chunk.iter().map(usize::to_string).collect();
            writeln!(out, "  linkStyle {} {style}", ids.join(","))?;
        }
    }
    Ok(())
}

/// Whether a node gets a class.
type ClassTest = fn(&Item<'_>) -> bool;

/// Text for inside a double-quoted Mermaid label. Mermaid reads `#name;` and
/// `#123;` as entities and labels as HTML, so `#`, `"`, `<`, `>`, `&`, `|`
/// and the backtick (markdown strings) are written as entity codes; line
/// breaks become `<br/>`, other control characters spaces.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br/>");
                }
            }
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
