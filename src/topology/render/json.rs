//! `-f json`: the graph-report contract, byte for byte what
//! `serde_json::to_writer` prints, but with the long lists serialized on
//! every core. A large repository's graph is tens of megabytes of JSON, and
//! escaping them on one thread was the longest serial stretch of `kwire
//! graph` (docs/performance.md).

use std::io;

use crate::topology::Graph;
use crate::topology::model::{
    DnsEntry, Edge, Exposure, Node, PortValue, Rollout, RolloutNote, RolloutStep, Via,
};

/// Items serialized by one task, and tasks in flight: a window of
/// `CHUNK * WINDOW` items is buffered at a time, so the memory held is a few
/// megabytes whatever the graph's size.
const CHUNK: usize = 1024;
const WINDOW: usize = 8;

pub fn write(graph: &Graph, out: &mut dyn io::Write) -> io::Result<()> {
    write_with(graph, out, CHUNK, WINDOW)
}

/// [`write`] with the batching as parameters (tests cut small chunks to
/// cross their boundaries).
pub(super) fn write_with(
    graph: &Graph,
    out: &mut dyn io::Write,
    chunk: usize,
    window: usize,
) -> io::Result<()> {
    // Every field, in declaration order (serde's): a field added to `Graph`
    // fails to compile here instead of going missing from the report.
    let Graph {
        version,
        units,
        nodes,
        edges,
        exposures,
        dns,
        rollouts,
    } = graph;
    out.write_all(b"{\"version\":")?;
    serde_json::to_writer(&mut *out, version)?;
    out.write_all(b",\"units\":")?;
    serde_json::to_writer(&mut *out, units)?;
    list(out, "nodes", nodes, chunk, window, node)?;
    list(out, "edges", edges, chunk, window, edge)?;
    list(out, "exposures", exposures, chunk, window, exposure)?;
    list(out, "dns", dns, chunk, window, dns_entry)?;
    list(out, "rollouts", rollouts, chunk, window, rollout)?;
    out.write_all(b"}\n")
}

/// `,"name":[item,item,…]`, items serialized in parallel batches and
/// written in order.
fn list<T: Sync + std::borrow::Borrow<U>, U: ?Sized>(
    out: &mut dyn io::Write,
    name: &str,
    items: &[T],
    chunk: usize,
    window: usize,
    item: fn(&mut Vec<u8>, &U) -> serde_json::Result<()>,
) -> io::Result<()> {
    write!(out, ",\"{name}\":[")?;
    super::in_batches(out, items, chunk, window, |buf, first, run| {
        for (i, one) in run.iter().enumerate() {
            if first + i > 0 {
                buf.push(b',');
            }
            item(buf, one.borrow())?;
        }
        Ok(())
    })?;
    out.write_all(b"]")
}

// Nodes and edges are nine in ten of the report's bytes: they are written by
// hand (serde escapes every key of every object), field for field what the
// derived `Serialize` prints, `skip_serializing_if` included. The
// destructuring makes a new field a compile error here.
fn node(buf: &mut Vec<u8>, node: &Node) -> serde_json::Result<()> {
    let Node {
        id,
        kind,
        namespace,
        name,
        simulated,
        file,
        line,
        unit,
        findings,
        detail,
        exposed,
    } = node;
    buf.extend_from_slice(b"{\"id\":");
    string(buf, id);
    buf.extend_from_slice(b",\"kind\":");
    string(buf, kind);
    buf.extend_from_slice(b",\"namespace\":");
    opt_string(buf, namespace.as_deref());
    buf.extend_from_slice(b",\"name\":");
    string(buf, name);
    if *simulated {
        buf.extend_from_slice(b",\"simulated\":true");
    }
    buf.extend_from_slice(b",\"file\":");
    opt_string(buf, file.as_deref());
    buf.extend_from_slice(b",\"line\":");
    opt_u32(buf, *line);
    buf.extend_from_slice(b",\"unit\":");
    opt_string(buf, unit.as_deref());
    buf.extend_from_slice(b",\"findings\":[");
    for (i, code) in findings.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        string(buf, code);
    }
    buf.push(b']');
    if let Some(detail) = detail {
        buf.extend_from_slice(b",\"detail\":");
        string(buf, detail);
    }
    if *exposed {
        buf.extend_from_slice(b",\"exposed\":true");
    }
    buf.push(b'}');
    Ok(())
}

fn edge(buf: &mut Vec<u8>, edge: &Edge) -> serde_json::Result<()> {
    let Edge {
        from,
        to,
        relation,
        via,
        resolved,
        assumed,
        finding,
        label,
        reason,
    } = edge;
    let Via { file, line, field } = via;
    buf.extend_from_slice(b"{\"from\":");
    string(buf, from);
    buf.extend_from_slice(b",\"to\":");
    string(buf, to);
    buf.extend_from_slice(b",\"relation\":");
    string(buf, relation.as_str());
    buf.extend_from_slice(b",\"via\":{\"file\":");
    string(buf, file);
    buf.extend_from_slice(b",\"line\":");
    buf.extend_from_slice(itoa::Buffer::new().format(*line).as_bytes());
    if let Some(field) = field {
        buf.extend_from_slice(b",\"field\":");
        string(buf, field);
    }
    buf.extend_from_slice(if *resolved {
        b"},\"resolved\":true"
    } else {
        b"},\"resolved\":false"
    });
    if *assumed {
        buf.extend_from_slice(b",\"assumed\":true");
    }
    buf.extend_from_slice(b",\"finding\":");
    opt_string(buf, finding.as_deref());
    if let Some(label) = label {
        buf.extend_from_slice(b",\"label\":");
        string(buf, label);
    }
    if let Some(reason) = reason {
        buf.extend_from_slice(b",\"reason\":");
        string(buf, reason);
    }
    buf.push(b'}');
    Ok(())
}

// One per way in and one per Service: written by hand too.
fn exposure(buf: &mut Vec<u8>, exposure: &Exposure) -> serde_json::Result<()> {
    let Exposure {
        entry,
        chain,
        service,
        port,
        target_port,
        container_port,
        endpoints,
        weight,
        finding,
    } = exposure;
    buf.extend_from_slice(b"{\"entry\":");
    string(buf, entry);
    buf.extend_from_slice(b",\"chain\":");
    strings(buf, chain);
    buf.extend_from_slice(b",\"service\":");
    opt_string(buf, service.as_deref());
    buf.extend_from_slice(b",\"port\":");
    opt_port(buf, port.as_ref());
    buf.extend_from_slice(b",\"target_port\":");
    opt_port(buf, target_port.as_ref());
    buf.extend_from_slice(b",\"container_port\":");
    opt_i64(buf, *container_port);
    buf.extend_from_slice(b",\"endpoints\":");
    buf.extend_from_slice(itoa::Buffer::new().format(*endpoints).as_bytes());
    buf.extend_from_slice(b",\"weight\":");
    opt_i64(buf, *weight);
    some_string(buf, b",\"finding\":", finding.as_deref());
    buf.push(b'}');
    Ok(())
}

fn dns_entry(buf: &mut Vec<u8>, entry: &DnsEntry) -> serde_json::Result<()> {
    let DnsEntry {
        service,
        names,
        short_name_namespaces,
    } = entry;
    buf.extend_from_slice(b"{\"service\":");
    string(buf, service);
    buf.extend_from_slice(b",\"names\":");
    strings(buf, names);
    buf.extend_from_slice(b",\"short_name_namespaces\":");
    strings(buf, short_name_namespaces);
    buf.push(b'}');
    Ok(())
}

/// `["a","b"]`
fn strings<S: AsRef<str>>(buf: &mut Vec<u8>, items: &[S]) {
    buf.push(b'[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        string(buf, s.as_ref());
    }
    buf.push(b']');
}

/// A port as the untagged enum prints it: a number or a name; or `null`.
fn opt_port(buf: &mut Vec<u8>, port: Option<&PortValue>) {
    match port {
        Some(PortValue::Number(n)) => {
            buf.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes());
        }
        Some(PortValue::Name(name)) => string(buf, name),
        None => buf.extend_from_slice(b"null"),
    }
}

// Rollouts are a quarter of the report's bytes (one per workload, a step per
// pod moved), written by hand for the same reason.
fn rollout(buf: &mut Vec<u8>, rollout: &Rollout) -> serde_json::Result<()> {
    let Rollout {
        workload,
        strategy,
        max_surge,
        max_unavailable,
        steps,
        file,
        line,
        replicas,
        replicas_from,
        max_surge_written,
        max_unavailable_written,
        partition,
        error,
        notes,
    } = rollout;
    buf.extend_from_slice(b"{\"workload\":");
    string(buf, workload);
    buf.extend_from_slice(b",\"strategy\":");
    string(buf, strategy);
    buf.extend_from_slice(b",\"max_surge\":");
    opt_i64(buf, *max_surge);
    buf.extend_from_slice(b",\"max_unavailable\":");
    opt_i64(buf, *max_unavailable);
    buf.extend_from_slice(b",\"steps\":[");
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        rollout_step(buf, step);
    }
    buf.push(b']');
    if let Some(file) = file {
        buf.extend_from_slice(b",\"file\":");
        string(buf, file);
    }
    if let Some(line) = line {
        buf.extend_from_slice(b",\"line\":");
        buf.extend_from_slice(itoa::Buffer::new().format(*line).as_bytes());
    }
    some_i64(buf, b",\"replicas\":", *replicas);
    some_string(buf, b",\"replicas_from\":", replicas_from.as_deref());
    some_string(
        buf,
        b",\"max_surge_written\":",
        max_surge_written.as_deref(),
    );
    some_string(
        buf,
        b",\"max_unavailable_written\":",
        max_unavailable_written.as_deref(),
    );
    some_i64(buf, b",\"partition\":", *partition);
    some_string(buf, b",\"error\":", error.as_deref());
    if !notes.is_empty() {
        buf.extend_from_slice(b",\"notes\":[");
        for (i, note) in notes.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            rollout_note(buf, note);
        }
        buf.push(b']');
    }
    buf.push(b'}');
    Ok(())
}

fn rollout_step(buf: &mut Vec<u8>, step: &RolloutStep) {
    let RolloutStep {
        old,
        new,
        ready,
        new_ready,
        total,
        action,
        disruptions_allowed,
    } = step;
    buf.extend_from_slice(b"{\"old\":");
    buf.extend_from_slice(itoa::Buffer::new().format(*old).as_bytes());
    buf.extend_from_slice(b",\"new\":");
    buf.extend_from_slice(itoa::Buffer::new().format(*new).as_bytes());
    some_i64(buf, b",\"ready\":", *ready);
    some_i64(buf, b",\"new_ready\":", *new_ready);
    some_i64(buf, b",\"total\":", *total);
    some_string(buf, b",\"action\":", action.as_deref());
    some_i64(buf, b",\"disruptions_allowed\":", *disruptions_allowed);
    buf.push(b'}');
}

fn rollout_note(buf: &mut Vec<u8>, note: &RolloutNote) {
    let RolloutNote {
        code,
        message,
        file,
        line,
    } = note;
    buf.push(b'{');
    if let Some(code) = code {
        buf.extend_from_slice(b"\"code\":");
        string(buf, code);
        buf.push(b',');
    }
    buf.extend_from_slice(b"\"message\":");
    string(buf, message);
    some_string(buf, b",\"file\":", file.as_deref());
    if let Some(line) = line {
        buf.extend_from_slice(b",\"line\":");
        buf.extend_from_slice(itoa::Buffer::new().format(*line).as_bytes());
    }
    buf.push(b'}');
}

/// `key` and the value when there is one (`skip_serializing_if = "Option::is_none"`).
fn some_string(buf: &mut Vec<u8>, key: &[u8], value: Option<&str>) {
    if let Some(value) = value {
        buf.extend_from_slice(key);
        string(buf, value);
    }
}

fn some_i64(buf: &mut Vec<u8>, key: &[u8], value: Option<i64>) {
    if let Some(value) = value {
        buf.extend_from_slice(key);
        buf.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }
}

fn opt_i64(buf: &mut Vec<u8>, n: Option<i64>) {
    match n {
        Some(n) => buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
        None => buf.extend_from_slice(b"null"),
    }
}

fn opt_string(buf: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(buf, s),
        None => buf.extend_from_slice(b"null"),
    }
}

fn opt_u32(buf: &mut Vec<u8>, n: Option<u32>) {
    match n {
        Some(n) => buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
        None => buf.extend_from_slice(b"null"),
    }
}

/// A JSON string as serde_json escapes it: `"` and `\`, the short escapes
/// of `\b \t \n \f \r`, other control characters as `\u00xx`;
/// everything else (DEL and non-ASCII included) as it is.
fn string(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Nearly every string has nothing to escape: one branch-free pass (the
    // compiler vectorizes the fold) decides, and the bytes are copied whole.
    let plain = !bytes.iter().fold(false, |odd, &b| {
        odd | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    if plain {
        buf.extend_from_slice(bytes);
        buf.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0x00..=0x1f => b"",
            _ => continue,
        };
        buf.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        start = i + 1;
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            buf.extend_from_slice(b"\\u00");
            buf.push(HEX[usize::from(b >> 4)]);
            buf.push(HEX[usize::from(b & 0xf)]);
        } else {
            buf.extend_from_slice(short);
        }
    }
    buf.extend_from_slice(bytes.get(start..).unwrap_or_default());
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every special byte at every position of strings of up to 25
    /// characters, among ASCII and multi-byte characters: the bytes are what
    /// serde_json prints.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let specials = [
            '"', '\\', '\n', '\t', '\u{0}', '\u{1f}', '\u{8}', '\u{c}', '\r',
        ];
        let fillers = [
            'a', '\u{7f}', 'é', '한', ' ', '~', '!', '#', '[', ']', '\u{80}',
        ];
        for len in 0..26 {
            for filler in fillers {
                let plain: String = std::iter::repeat_n(filler, len).collect();
                let mut cases = vec![plain.clone()];
                for at in 0..len {
                    for special in specials {
                        let mut chars: Vec<char> = plain.chars().collect();
                        if let Some(c) = chars.get_mut(at) {
                            *c = special;
                        }
                        cases.push(chars.into_iter().collect());
                    }
                }
                for case in cases {
                    let mut buf = Vec::new();
                    string(&mut buf, &case);
                    assert_eq!(
                        String::from_utf8(buf).unwrap(),
                        serde_json::to_string(&case).unwrap(),
                        "{case:?}"
                    );
                }
            }
        }
    }
}
