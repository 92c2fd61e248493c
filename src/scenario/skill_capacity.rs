//! Whether each channel's patient demand can be served by the groups that serve it.
//!
//! A pooled test (all patient load below all handlers) misses skills: ten web-only handlers
//! facing a hundred Erlangs of web work pass it while the web queue grows without bound.
//! Demand can be served in the long run only if it can be *assigned* to groups that serve it
//! without any group over its mean staffing: a flow from channels to groups, checked here as a
//! maximum flow (Hall's condition). When it fails, the channels still reachable from the source
//! in the residual graph are the bottleneck: together they need more than every group that
//! can serve any of them staffs.

use std::collections::VecDeque;

/// How far below its staffing a group's capacity is taken, so that a tie counts as short.
const TIE: f64 = 1e-9;

/// A set of channels whose patient load exceeds what the groups able to serve them staff.
#[derive(Clone, Debug, PartialEq)]
pub struct Shortfall {
    /// The channels (indices) that together cannot be served.
    pub channels: Vec<usize>,
    /// The groups (indices) that serve any of them.
    pub groups: Vec<usize>,
    /// Their patient load in Erlangs.
    pub load: f64,
    /// What those groups staff on average.
    pub staffed: f64,
}

/// The bottleneck, if `load[c]` Erlangs on each channel cannot be assigned to the groups that
/// serve it (`serves[g]` lists group g's channels) within `staffed[g]` handlers each.
pub fn shortfall(load: &[f64], serves: &[Vec<usize>], staffed: &[f64]) -> Option<Shortfall> {
    let (n_c, n_g) = (load.len(), serves.len());
    let (source, sink) = (n_c + n_g, n_c + n_g + 1);
    let mut net = Network::new(n_c + n_g + 2);
    for (c, &l) in load.iter().enumerate() {
        net.add(source, c, l);
    }
    for (g, channels) in serves.iter().enumerate() {
        for &c in channels {
            net.add(c, n_c + g, f64::INFINITY);
        }
        // Demand must stay strictly below capacity (a tie is a queue that drifts without
        // bound), so a group's capacity is taken a hair below its staffing.
        net.add(n_c + g, sink, staffed[g] * (1.0 - TIE));
    }
    let need: f64 = load.iter().sum();
    let flow = net.max_flow(source, sink);
    // Short by more than rounding, which is far below the hair taken off above.
    if need > 0.0 && flow < need * (1.0 - TIE / 1000.0) {
        // The minimum cut: channels whose load could not all leave the source.
        let reach = net.reachable(source);
        let channels: Vec<usize> = (0..n_c).filter(|&c| reach[c] && load[c] > 0.0).collect();
        let groups: Vec<usize> = (0..n_g)
            .filter(|&g| serves[g].iter().any(|c| channels.contains(c)))
            .collect();
        return Some(Shortfall {
            load: channels.iter().map(|&c| load[c]).sum(),
            staffed: groups.iter().map(|&g| staffed[g]).sum(),
            channels,
            groups,
        });
    }
    None
}

/// A flow network with floating-point capacities (Edmonds–Karp: shortest augmenting paths).
struct Network {
    /// Per node: indices into `edges` of the edges leaving it.
    out: Vec<Vec<usize>>,
    /// (to, residual capacity); edge `e ^ 1` is `e`'s reverse.
    edges: Vec<(usize, f64)>,
}

impl Network {
    fn new(nodes: usize) -> Self {
        Network {
            out: vec![Vec::new(); nodes],
            edges: Vec::new(),
        }
    }

    fn add(&mut self, from: usize, to: usize, capacity: f64) {
        self.out[from].push(self.edges.len());
        self.edges.push((to, capacity));
        self.out[to].push(self.edges.len());
        self.edges.push((from, 0.0));
    }

    fn max_flow(&mut self, source: usize, sink: usize) -> f64 {
        let mut total = 0.0;
        loop {
            // Breadth-first search for the shortest path with residual capacity.
            let mut via: Vec<Option<usize>> = vec![None; self.out.len()];
            let mut queue = VecDeque::from([source]);
            while let Some(u) = queue.pop_front() {
                for &e in &self.out[u] {
                    let (v, cap) = self.edges[e];
                    if cap > 1e-12 && v != source && via[v].is_none() {
                        via[v] = Some(e);
                        queue.push_back(v);
                    }
                }
            }
            if via[sink].is_none() {
                return total;
            }
            let mut push = f64::INFINITY;
            let mut v = sink;
            while let Some(e) = via[v] {
                push = push.min(self.edges[e].1);
                v = self.edges[e ^ 1].0;
            }
            let mut v = sink;
            while let Some(e) = via[v] {
                self.edges[e].1 -= push;
                self.edges[e ^ 1].1 += push;
                v = self.edges[e ^ 1].0;
            }
            total += push;
        }
    }

    /// Nodes reachable from `from` along edges with residual capacity.
    fn reachable(&self, from: usize) -> Vec<bool> {
        let mut seen = vec![false; self.out.len()];
        seen[from] = true;
        let mut stack = vec![from];
        while let Some(u) = stack.pop() {
            for &e in &self.out[u] {
                let (v, cap) = self.edges[e];
                if cap > 1e-12 && !seen[v] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hall's condition by brute force: some set of channels needs more than its groups staff.
    fn hall_violated(load: &[f64], serves: &[Vec<usize>], staffed: &[f64]) -> bool {
        (1u32..1 << load.len()).any(|set| {
            let need: f64 = (0..load.len())
                .filter(|c| set >> c & 1 == 1)
                .map(|c| load[c])
                .sum();
            let have: f64 = (0..serves.len())
                .filter(|&g| serves[g].iter().any(|&c| set >> c & 1 == 1))
                .map(|g| staffed[g])
                .sum();
            need > 0.0 && need >= have
        })
    }

    #[test]
    fn a_pool_that_covers_the_total_can_still_starve_one_skill() {
        // 50 handlers for 999 (0.3 Erlangs) and 5 for 101 (15 Erlangs): 55 > 15.3 pooled.
        let short = shortfall(&[0.3, 15.0], &[vec![0], vec![1]], &[50.0, 5.0]).expect("short");
        assert_eq!(short.channels, vec![1]);
        assert_eq!(short.groups, vec![1]);
        assert!((short.load - 15.0).abs() < 1e-12 && (short.staffed - 5.0).abs() < 1e-12);
        // A second group that also serves 101 makes it feasible.
        let serves = [vec![0, 1], vec![1]];
        assert_eq!(shortfall(&[0.3, 15.0], &serves, &[50.0, 5.0]), None);
        // A tie is short: the queue would drift without bound.
        assert!(shortfall(&[5.0], &[vec![0]], &[5.0]).is_some());
    }

    #[test]
    fn agrees_with_halls_condition_on_every_small_case() {
        // Deterministic pseudo-random instances: 3 channels, 3 groups, loads and staffing 0..6.
        let mut x: u64 = 12345;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let mut disagreements = 0;
        let mut shorts = 0;
        for _ in 0..5000 {
            let load: Vec<f64> = (0..3).map(|_| next(6) as f64).collect();
            let staffed: Vec<f64> = (0..3).map(|_| next(7) as f64).collect();
            let serves: Vec<Vec<usize>> = (0..3)
                .map(|_| {
                    let mask = next(8);
                    (0..3).filter(|c| mask >> c & 1 == 1).collect()
                })
                .collect();
            let ours = shortfall(&load, &serves, &staffed).is_some();
            shorts += usize::from(ours);
            if ours != hall_violated(&load, &serves, &staffed) {
                disagreements += 1;
            }
        }
        assert_eq!(disagreements, 0);
        assert!(
            shorts > 500 && shorts < 4500,
            "both outcomes exercised: {shorts}"
        );
    }
}
