//! Object types that contain themselves other than through a list would have infinite size:
//! each group of types that hold each other directly is reported once, at its first type, with
//! one cycle through it. Linear in the number of types and references, however long the chains.

use std::collections::{BTreeMap, BTreeSet};

use super::fields::Objects;
use super::{Ctx, Problem};
use crate::diagnostic::Code;
use crate::resolved::{Role, Ty};

pub(crate) fn check(cx: &mut Ctx<'_>, objects: &Objects) {
    let succ: Vec<Vec<usize>> = objects
        .list
        .iter()
        .map(|p| {
            let folder = &cx.files[p.file].source.vendor;
            p.object
                .fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Ty::Object(r) => objects.index_of(folder, r),
                    _ => None,
                })
                .collect()
        })
        .collect();
    for group in strongly_connected(&succ) {
        let Some(&start) = group.iter().min() else {
            continue;
        };
        let Some(cycle) = shortest_cycle(&succ, &group, start) else {
            continue;
        };
        let name = |k: usize| match &objects.list[k].object.role {
            Role::Named(n) => n.clone(),
            _ => objects.list[k].object.rust.clone(),
        };
        let names: Vec<String> = cycle.iter().map(|&k| name(k)).collect();
        let shown = if names.len() > CYCLE_SHOWN {
            let half = CYCLE_SHOWN / 2;
            format!(
                "{} -> … -> {}, a cycle of {} types",
                names[..half].join(" -> "),
                names[names.len() - half..].join(" -> "),
                names.len() - 1
            )
        } else {
            names.join(" -> ")
        };
        let first = &objects.list[start];
        let start_name = name(start);
        cx.at_key(
            first.file,
            &first.path,
            Problem::new(
                Code::RecursiveType,
                format!(
                    "type `{start_name}` contains itself ({shown}) and would have infinite size"
                ),
            )
            .hint("make one of the fields a `list<...>`"),
        );
    }
}

/// Strongly connected components of a graph given by successor lists (Tarjan's algorithm,
/// iterative, so deep chains cannot exhaust the stack).
fn strongly_connected(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = succ.len();
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let (mut stack, mut next, mut out) = (Vec::new(), 0, Vec::new());
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position of the next successor to visit)
        let mut calls = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, pos)) = calls.last() {
            if let Some(&w) = succ[v].get(pos) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(group);
            }
        }
    }
    out
}

/// Most types a reported cycle names; longer cycles are shortened in the middle.
const CYCLE_SHOWN: usize = 12;

/// The shortest cycle from `start` back to itself within `group`, as the nodes it passes
/// (`start` first and last), or `None` when `start` is on no cycle.
fn shortest_cycle(succ: &[Vec<usize>], group: &[usize], start: usize) -> Option<Vec<usize>> {
    let members: BTreeSet<usize> = group.iter().copied().collect();
    let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut last = None;
    'search: while let Some(v) = queue.pop_front() {
        for &w in &succ[v] {
            if w == start {
                last = Some(v);
                break 'search;
            }
            if members.contains(&w) && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    let mut path = vec![last?];
    while let Some(&p) = path.last().and_then(|v| parent.get(v)) {
        path.push(p);
    }
    if path.last() != Some(&start) {
        path.push(start);
    }
    path.reverse();
    path.push(start);
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_cycles_are_found_without_recursion() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 0 (on no cycle).
        let succ = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let mut groups: Vec<Vec<usize>> = strongly_connected(&succ)
            .into_iter()
            .map(|mut g| {
                g.sort();
                g
            })
            .collect();
        groups.sort();
        assert_eq!(groups, [vec![0, 1, 2], vec![3], vec![4]]);
        assert_eq!(shortest_cycle(&succ, &[0, 1, 2], 0), Some(vec![0, 1, 2, 0]));
        assert_eq!(shortest_cycle(&succ, &[3], 3), Some(vec![3, 3]));
        assert_eq!(shortest_cycle(&succ, &[4], 4), None);
        // A chain of 100,000 types, closed into one cycle.
        let n = 100_000;
        let succ: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let groups = strongly_connected(&succ);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            shortest_cycle(&succ, &groups[0], 0).map(|c| c.len()),
            Some(n + 1)
        );
    }
}
