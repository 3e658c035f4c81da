//! The layered layout the html page draws, computed here so the page's
//! script only pans, zooms and shows details (`docs/decisions.md`).
//!
//! Columns by role, left to right: entry points, routes, Services,
//! controllers (a controller another controller owns, such as a
//! Deployment's ReplicaSet, one column further), pods, config objects,
//! everything else. Rows: one band per group (namespace, per unit), the
//! bands stacked top to bottom. Inside a band, each column's nodes are
//! ordered by a few barycentre sweeps (the mean row of their neighbours in
//! the columns already placed, weighted so the structure counts and
//! service-to-service calls barely do), which removes most crossings of a
//! layered graph. Cost: O(sweeps × (nodes log nodes + edges)).

use std::collections::BTreeSet;

use super::view::{Role, View, role_of};
use crate::topology::model::Relation;

pub(super) const NODE_W: f64 = 190.0;
pub(super) const NODE_H: f64 = 50.0;
const COL_GAP: f64 = 90.0;
const ROW_GAP: f64 = 14.0;
const GROUP_HEADER: f64 = 26.0;
const GROUP_PAD: f64 = 12.0;
const GROUP_GAP: f64 = 18.0;
const UNIT_HEADER: f64 = 28.0;
const UNIT_PAD: f64 = 10.0;
const MARGIN: f64 = 20.0;
const SWEEPS: usize = 5;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

pub(super) struct Layout {
    /// Per item of the view.
    pub nodes: Vec<Rect>,
    /// Per group of the view.
    pub groups: Vec<Rect>,
    /// One box per unit when the view draws several: (group indices' unit, box).
    pub units: Vec<(Option<String>, Rect)>,
    /// Column of each item.
    pub columns: Vec<usize>,
    pub width: f64,
    pub height: f64,
}

fn tier(role: Role, kind: &str) -> usize {
    match role {
        Role::Entry => 0,
        Role::Route => 1,
        Role::Service => 2,
        Role::Workload => 3,
        Role::Pod => 5,
        Role::Config => 6,
        Role::Other => 7,
        // Where the object would stand if it existed.
        Role::Missing => match role_of(kind, false) {
            Role::Missing | Role::Other => 7,
            r => tier(r, kind),
        },
    }
}

pub(super) fn compute(view: &View<'_>) -> Layout {
    let n = view.items.len();
    // A controller owned by another controller goes one column right.
    let mut owned = vec![false; n];
    // Neighbours with a weight: the structure (owns, selects, routes, …)
    // orders the rows; calls and uses, which cut across it, barely count.
    let mut adjacent: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(from, to, edge) in &view.edges {
        if from == to {
            continue;
        }
        if edge.relation == Relation::Owns
            && view
                .items
                .get(from)
                .is_some_and(|i| i.role == Role::Workload)
            && let Some(o) = owned.get_mut(to)
        {
            *o = true;
        }
        let weight = match edge.relation {
            Relation::Calls | Relation::Uses | Relation::Scales => 0.05,
            _ => 1.0,
        };
        if let Some(a) = adjacent.get_mut(from) {
            a.push((to, weight));
        }
        if let Some(a) = adjacent.get_mut(to) {
            a.push((from, weight));
        }
    }
    let raw: Vec<usize> = view
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let t = tier(item.role, item.kind);
            if t == 3 && owned.get(i).copied().unwrap_or(false) {
                4
            } else {
                t
            }
        })
        .collect();
    // Only the columns in use.
    let used: BTreeSet<usize> = raw.iter().copied().collect();
    let column_of_tier: Vec<Option<usize>> =
        (0..8).map(|t| used.iter().position(|&u| u == t)).collect();
    let columns: Vec<usize> = raw
        .iter()
        .map(|&t| column_of_tier.get(t).copied().flatten().unwrap_or(0))
        .collect();
    let ncols = used.len().max(1);
    let col_x = |c: usize| MARGIN + UNIT_PAD + GROUP_PAD + c as f64 * (NODE_W + COL_GAP);
    let pitch = NODE_H + ROW_GAP;

    // cells[g][c]: the items of group g in column c, in order.
    let mut cells: Vec<Vec<Vec<usize>>> = view
        .groups
        .iter()
        .map(|group| {
            let mut cols = vec![Vec::new(); ncols];
            for &i in &group.items {
                if let Some(cell) = columns.get(i).and_then(|&c| cols.get_mut(c)) {
                    cell.push(i);
                }
            }
            cols
        })
        .collect();

    // Bands: the y of each group's first row.
    let mut group_rects = Vec::with_capacity(view.groups.len());
    let mut units: Vec<(Option<String>, Rect)> = Vec::new();
    let mut row_top = Vec::with_capacity(view.groups.len());
    let group_w = ncols as f64 * (NODE_W + COL_GAP) - COL_GAP + 2.0 * GROUP_PAD;
    let mut y = MARGIN;
    let mut current_unit: Option<Option<&str>> = None;
    for (g, group) in view.groups.iter().enumerate() {
        if view.multi_unit && current_unit != Some(group.unit) {
            if current_unit.is_some() {
                y += GROUP_GAP;
            }
            units.push((
                group.unit.map(str::to_string),
                Rect {
                    x: MARGIN,
                    y,
                    w: group_w + 2.0 * UNIT_PAD,
                    h: 0.0,
                },
            ));
            y += UNIT_HEADER;
            current_unit = Some(group.unit);
        }
        let rows = cells
            .get(g)
            .map_or(0, |cols| cols.iter().map(Vec::len).max().unwrap_or(0));
        let h = GROUP_HEADER + rows as f64 * pitch - ROW_GAP.min(rows as f64 * pitch) + GROUP_PAD;
        group_rects.push(Rect {
            x: MARGIN + UNIT_PAD,
            y,
            w: group_w,
            h,
        });
        row_top.push(y + GROUP_HEADER);
        y += h + GROUP_GAP;
        if let Some((_, unit)) = units.last_mut() {
            unit.h = y - GROUP_GAP + UNIT_PAD - unit.y;
        }
    }
    if view.multi_unit {
        y += UNIT_PAD;
    }

    // Barycentre sweeps: left to right, then right to left.
    let mut pos = vec![0.0f64; n];
    let place = |cells: &Vec<Vec<Vec<usize>>>, pos: &mut Vec<f64>| {
        for (g, cols) in cells.iter().enumerate() {
            let top = row_top.get(g).copied().unwrap_or(0.0);
            for cell in cols {
                for (r, &i) in cell.iter().enumerate() {
                    if let Some(p) = pos.get_mut(i) {
                        *p = top + r as f64 * pitch;
                    }
                }
            }
        }
    };
    place(&cells, &mut pos);
    for sweep in 0..SWEEPS {
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (0..ncols).collect()
        } else {
            (0..ncols).rev().collect()
        };
        for c in order {
            for (g, cols) in cells.iter_mut().enumerate() {
                let Some(cell) = cols.get_mut(c) else {
                    continue;
                };
                if cell.len() < 2 {
                    continue;
                }
                let mut keyed: Vec<(f64, usize)> = cell
                    .iter()
                    .map(|&i| {
                        let mut sum = 0.0;
                        let mut total = 0.0;
                        for &(j, w) in adjacent.get(i).map_or(&[][..], Vec::as_slice) {
                            let cj = columns.get(j).copied().unwrap_or(0);
                            if (forward && cj < c) || (!forward && cj > c) {
                                sum += w * pos.get(j).copied().unwrap_or(0.0);
                                total += w;
                            }
                        }
                        let own = pos.get(i).copied().unwrap_or(0.0);
                        let key = if total == 0.0 { own } else { sum / total };
                        (key, i)
                    })
                    .collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
                let top = row_top.get(g).copied().unwrap_or(0.0);
                for (r, (_, i)) in keyed.iter().enumerate() {
                    if let Some(slot) = cell.get_mut(r) {
                        *slot = *i;
                    }
                    if let Some(p) = pos.get_mut(*i) {
                        *p = top + r as f64 * pitch;
                    }
                }
            }
        }
    }

    let nodes = (0..n)
        .map(|i| Rect {
            x: col_x(columns.get(i).copied().unwrap_or(0)),
            y: pos.get(i).copied().unwrap_or(0.0),
            w: NODE_W,
            h: NODE_H,
        })
        .collect();
    let width = MARGIN * 2.0 + UNIT_PAD * 2.0 + group_w;
    Layout {
        nodes,
        groups: group_rects,
        units,
        columns,
        width,
        height: y.max(MARGIN) + MARGIN,
    }
}

/// The SVG path of an edge between two node boxes, and the point where its
/// label goes. Between neighbouring columns: a curve from one box's side to
/// the other's. Across more columns: out of the side, along the gap above
/// the higher of the two boxes (rows keep that gap free in every column,
/// so the edge passes no box), and into the other side. Within one column:
/// a loop out to the right.
pub(super) fn edge_path(a: Rect, b: Rect, col_a: usize, col_b: usize) -> (String, (f64, f64)) {
    if col_a.abs_diff(col_b) > 1 {
        let forward = col_b > col_a;
        let (p0, p3) = if forward {
            ((a.x + a.w, a.y + a.h / 2.0), (b.x, b.y + b.h / 2.0))
        } else {
            ((a.x, a.y + a.h / 2.0), (b.x + b.w, b.y + b.h / 2.0))
        };
        let gap = a.y.min(b.y) - ROW_GAP / 2.0;
        let s = if forward { 1.0 } else { -1.0 };
        let bend = COL_GAP / 2.0;
        let d = format!(
            "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} L{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            p0.0,
            p0.1,
            p0.0 + s * bend * 0.6,
            p0.1,
            p0.0 + s * bend * 0.4,
            gap,
            p0.0 + s * bend,
            gap,
            p3.0 - s * bend,
            gap,
            p3.0 - s * bend * 0.4,
            gap,
            p3.0 - s * bend * 0.6,
            p3.1,
            p3.0,
            p3.1
        );
        return (d, ((p0.0 + p3.0) / 2.0, gap));
    }
    let (p0, p3, c1, c2) = if col_b > col_a {
        let p0 = (a.x + a.w, a.y + a.h / 2.0);
        let p3 = (b.x, b.y + b.h / 2.0);
        let dx = ((p3.0 - p0.0) / 2.0).max(30.0);
        (p0, p3, (p0.0 + dx, p0.1), (p3.0 - dx, p3.1))
    } else if col_b < col_a {
        let p0 = (a.x, a.y + a.h / 2.0);
        let p3 = (b.x + b.w, b.y + b.h / 2.0);
        let dx = ((p0.0 - p3.0) / 2.0).max(30.0);
        (p0, p3, (p0.0 - dx, p0.1), (p3.0 + dx, p3.1))
    } else {
        let p0 = (a.x + a.w, a.y + a.h / 2.0);
        let p3 = (b.x + b.w, b.y + b.h / 2.0);
        let dx = 40.0 + ((p3.1 - p0.1).abs() / 10.0).min(40.0);
        (p0, p3, (p0.0 + dx, p0.1), (p3.0 + dx, p3.1))
    };
    let mid = (
        (p0.0 + 3.0 * c1.0 + 3.0 * c2.0 + p3.0) / 8.0,
        (p0.1 + 3.0 * c1.1 + 3.0 * c2.1 + p3.1) / 8.0,
    );
    let d = format!(
        "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
        p0.0, p0.1, c1.0, c1.1, c2.0, c2.1, p3.0, p3.1
    );
    (d, mid)
}
