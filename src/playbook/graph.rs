//! The step graph: cycles (shown as their path), a topological order, and the transitive
//! `needs` of a step, which bound what its templates may read.

use std::collections::{BTreeSet, HashMap};

/// Steps by index, each with the indices of the steps it needs.
pub struct Graph<'a> {
    ids: Vec<&'a str>,
    needs: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    /// `needs` naming no step are left out: they are reported elsewhere.
    pub fn new(steps: &[(&'a str, Vec<&'a str>)]) -> Self {
        let index: HashMap<&str, usize> = steps
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        let needs = steps
            .iter()
            .map(|(_, needs)| needs.iter().filter_map(|n| index.get(n).copied()).collect())
            .collect();
        Self {
            ids: steps.iter().map(|(id, _)| *id).collect(),
            needs,
        }
    }

    /// Every elementary cycle found by a depth-first search, each as the path of step
    /// indices from its first step back to it (`a -> b -> a` is `[a, b, a]`). Each cycle is
    /// reported once, starting from its earliest step in the file.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnPath,
            Done,
        }
        let mut mark = vec![Mark::New; self.ids.len()];
        let mut cycles = Vec::new();
        let mut seen = BTreeSet::new();
        for start in 0..self.ids.len() {
            if mark[start] != Mark::New {
                continue;
            }
            // An explicit stack: a long chain of needs must not overflow the call stack.
            let mut path = vec![start];
            let mut next_edge = vec![0usize];
            mark[start] = Mark::OnPath;
            while let Some(&node) = path.last() {
                let edge = next_edge
                    .last_mut()
                    .expect("one edge cursor per path entry");
                if let Some(&to) = self.needs[node].get(*edge) {
                    *edge += 1;
                    match mark[to] {
                        Mark::New => {
                            mark[to] = Mark::OnPath;
                            path.push(to);
                            next_edge.push(0);
                        }
                        Mark::OnPath => {
                            let from = path.iter().position(|&n| n == to).expect("on path");
                            let mut cycle: Vec<usize> = path[from..].to_vec();
                            // Start at the earliest step, so the same cycle is named once.
                            let min = cycle
                                .iter()
                                .enumerate()
                                .min_by_key(|(_, n)| **n)
                                .map(|(i, _)| i)
                                .unwrap_or(0);
                            cycle.rotate_left(min);
                            let key: Vec<usize> = cycle.clone();
                            if seen.insert(key) {
                                cycle.push(cycle[0]);
                                cycles.push(cycle);
                            }
                        }
                        Mark::Done => {}
                    }
                } else {
                    mark[node] = Mark::Done;
                    path.pop();
                    next_edge.pop();
                }
            }
        }
        cycles
    }

    /// A cycle as text: `a -> b -> a`.
    pub fn path_text(&self, cycle: &[usize]) -> String {
        cycle
            .iter()
            .map(|&i| self.ids[i])
            .collect::<Vec<_>>()
            .join(" -> ")
    }

    /// An execution order: each step after all it needs, ties kept in file order.
    /// `None` when the graph has a cycle.
    pub fn order(&self) -> Option<Vec<usize>> {
        let n = self.ids.len();
        let mut placed = vec![false; n];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            let next = (0..n).find(|&i| !placed[i] && self.needs[i].iter().all(|&d| placed[d]))?;
            placed[next] = true;
            order.push(next);
        }
        Some(order)
    }

    /// The steps a step needs, directly or through others.
    pub fn ancestors(&self, step: usize) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        let mut todo = self.needs[step].clone();
        while let Some(s) = todo.pop() {
            if found.insert(s) {
                todo.extend(&self.needs[s]);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph<'a>(edges: &[(&'a str, &[&'a str])]) -> Graph<'a> {
        let steps: Vec<(&str, Vec<&str>)> = edges
            .iter()
            .map(|(id, needs)| (*id, needs.to_vec()))
            .collect();
        Graph::new(&steps)
    }

    #[test]
    fn a_two_step_cycle_is_shown_as_its_path() {
        let g = graph(&[("a", &["b"]), ("b", &["a"]), ("c", &[])]);
        let cycles = g.cycles();
        assert_eq!(cycles.len(), 1);
        assert_eq!(g.path_text(&cycles[0]), "a -> b -> a");
        assert!(g.order().is_none());
    }

    #[test]
    fn a_self_need_is_a_cycle() {
        let g = graph(&[("a", &["a"])]);
        assert_eq!(g.path_text(&g.cycles()[0]), "a -> a");
    }

    #[test]
    fn order_puts_needs_first_and_keeps_file_order_otherwise() {
        let g = graph(&[("report", &["scan"]), ("intro", &[]), ("scan", &[])]);
        assert_eq!(g.order(), Some(vec![1, 2, 0]));
        assert!(g.cycles().is_empty());
    }

    #[test]
    fn ancestors_are_transitive() {
        let g = graph(&[("a", &[]), ("b", &["a"]), ("c", &["b"]), ("d", &[])]);
        assert_eq!(g.ancestors(2), BTreeSet::from([0, 1]));
        assert!(g.ancestors(3).is_empty());
    }

    #[test]
    fn a_deep_chain_does_not_overflow() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("s{i}")).collect();
        let steps: Vec<(&str, Vec<&str>)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    id.as_str(),
                    if i > 0 {
                        vec![ids[i - 1].as_str()]
                    } else {
                        vec![]
                    },
                )
            })
            .collect();
        let g = Graph::new(&steps);
        assert!(g.cycles().is_empty());
    }
}
