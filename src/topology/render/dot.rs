//! `kwire graph -f dot`: Graphviz, for `dot -Tsvg`.
//!
//! Node ids are `n0`, `n1`, … (the object ids go in labels and tooltips);
//! every string is a double-quoted DOT string with `"` and `\` escaped and
//! line breaks written as `\n`, and no node uses a record shape, so `<>{}|`
//! in names are plain text.

use std::io;

use super::view::{Group, Item, Role, View};
use crate::topology::Graph;
use crate::topology::model::{Edge, Relation};

pub fn write(graph: &Graph, out: &mut dyn io::Write) -> io::Result<()> {
    let view = View::new(graph);
    writeln!(out, "digraph kwire {{")?;
    writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=0.6];"
    )?;
    writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\"];"
    )?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")?;

    // Groups: one cluster per namespace, inside one cluster per unit when
    // the graph draws several units.
    let mut unit_open: Option<Option<&str>> = None;
    let mut unit_count = 0usize;
    for (g, group) in view.groups.iter().enumerate() {
        if view.multi_unit && unit_open != Some(group.unit) {
            if unit_open.is_some() {
                writeln!(out, "  }}")?;
            }
            writeln!(out, "  subgraph cluster_u{unit_count} {{")?;
            writeln!(
                out,
                "    label={}; style=\"rounded\"; color=\"#888888\";",
                quote(&format!("unit {}", group.unit.unwrap_or("(none)")))
            )?;
            unit_count += 1;
            unit_open = Some(group.unit);
        }
        let indent = if view.multi_unit { "    " } else { "  " };
        write_group(&view, g, group, indent, out)?;
    }
    if unit_open.is_some() {
        writeln!(out, "  }}")?;
    }

    for (from, to, edge) in &view.edges {
        writeln!(out, "  n{from} -> n{to} [{}];", edge_attrs(edge))?;
    }
    writeln!(out, "}}")
}

fn write_group(
    view: &View<'_>,
    g: usize,
    group: &Group<'_>,
    indent: &str,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    writeln!(out, "{indent}subgraph cluster_{g} {{")?;
    writeln!(
        out,
        "{indent}  label={}; style=\"rounded,filled\"; fillcolor=\"#f7f9fc\"; color=\"#9db3d1\";",
        quote(&group.title())
    )?;
    for &i in &group.items {
        if let Some(item) = view.items.get(i) {
            writeln!(out, "{indent}  n{i} [{}];", node_attrs(item))?;
        }
    }
    writeln!(out, "{indent}}}")
}

fn node_attrs(item: &Item<'_>) -> String {
    let label = item.label_lines();
    let (shape, style, fill, color) = match item.role {
        Role::Entry => ("box", "rounded,filled,bold", "#ffe0b2", "#e65100"),
        Role::Route => ("box", "rounded,filled", "#fff3c4", "#b08800"),
        Role::Service => ("box", "rounded,filled", "#dbe8fb", "#2f5d9e"),
        Role::Workload => ("box", "filled", "#d7efd5", "#3c7a36"),
        Role::Pod if item.simulated => ("box", "rounded,filled,dashed", "#f1f1f1", "#666666"),
        Role::Pod => ("box", "rounded,filled", "#f1f1f1", "#666666"),
        Role::Config => ("note", "filled", "#eeeeee", "#888888"),
        Role::Other => ("box", "filled", "#ffffff", "#888888"),
        Role::Missing if item.assumed => ("box", "dashed", "#ffffff", "#888888"),
        Role::Missing => ("box", "dashed", "#ffffff", "#cc0000"),
    };
    let style = if item.simulated && item.role != Role::Pod {
        format!("{style},dashed")
    } else {
        style.to_string()
    };
    let mut attrs = format!(
        "label={}, tooltip={}, shape={shape}, style={}, fillcolor=\"{fill}\"",
        quote(&label.join("\n")),
        quote(&item.tooltip()),
        quote(&style)
    );
    if item.flagged() {
        attrs.push_str(", color=\"#cc0000\", fontcolor=\"#cc0000\", penwidth=2");
    } else if item.exposed || item.role == Role::Entry {
        attrs.push_str(&format!(", color=\"{color}\", penwidth=2"));
    } else {
        attrs.push_str(&format!(", color=\"{color}\""));
    }
    if item.role == Role::Config {
        attrs.push_str(", fontsize=8, height=0.3, margin=\"0.05,0.02\"");
    }
    attrs
}

fn edge_attrs(edge: &Edge) -> String {
    let (color, style) = match edge.relation {
        Relation::Owns => ("#666666", "solid"),
        Relation::Selects => ("#2f5d9e", "solid"),
        Relation::Backend => ("#e65100", "bold"),
        Relation::Routes => ("#7b3fa0", "solid"),
        Relation::Subset => ("#8c564b", "solid"),
        Relation::Gateway => ("#7b3fa0", "dashed"),
        Relation::Scales => ("#3c7a36", "dotted"),
        Relation::Uses => ("#999999", "dotted"),
        Relation::Calls => ("#00838f", "bold"),
    };
    let mut text: Vec<String> = Vec::new();
    if let Some(label) = &edge.label {
        text.push(label.to_string());
    }
    if let Some(code) = &edge.finding {
        text.push(code.to_string());
    } else if edge.assumed {
        text.push("assumed".to_string());
    } else if !edge.resolved {
        text.push("unresolved".to_string());
    }
    let mut tooltip = format!(
        "{} {}:{}",
        edge.relation.as_str(),
        edge.via.file,
        edge.via.line
    );
    if let Some(field) = &edge.via.field {
        tooltip.push(' ');
        tooltip.push_str(field);
    }
    if let Some(reason) = &edge.reason {
        tooltip.push('\n');
        tooltip.push_str(reason);
    }
    let mut attrs = format!("tooltip={}", quote(&tooltip));
    if !text.is_empty() {
        attrs.push_str(&format!(", label={}", quote(&text.join("\n"))));
    }
    if edge.assumed && edge.finding.is_none() {
        attrs.push_str(", color=\"#888888\", fontcolor=\"#666666\", style=dashed");
    } else if !edge.resolved {
        attrs.push_str(", color=\"#cc0000\", fontcolor=\"#cc0000\", style=dashed");
    } else if edge.finding.is_some() {
        attrs.push_str(&format!(
            ", color=\"#cc0000\", fontcolor=\"#cc0000\", style={style}"
        ));
    } else {
        attrs.push_str(&format!(", color=\"{color}\", style={style}"));
    }
    if edge.relation == Relation::Uses || edge.relation == Relation::Scales {
        attrs.push_str(", arrowhead=vee");
    }
    attrs
}

/// A DOT double-quoted string. Inside one, DOT gives `\"` and, in labels,
/// `\n`, `\l`, `\r`, `\N`, `\G`, … a meaning; a literal backslash is `\\`.
/// A line break in the text becomes `\n` (a centred line in the label);
/// other control characters become spaces.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
