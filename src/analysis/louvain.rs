//! Community detection by modularity: the Louvain method of Blondel, Guillaume, Lambiotte and
//! Lefebvre (2008), "Fast unfolding of communities in large networks", J. Stat. Mech. P10008.
//! Local moving (each node to the neighbouring community with the largest modularity gain
//! k_i,in − Σ_tot·k_i/2m, in an order shuffled by a seeded generator) alternates with
//! aggregation (communities become nodes) until nothing moves. The same seed gives the same
//! communities.

/// An undirected weighted graph as adjacency lists, with self-loop weights apart.
#[derive(Debug, Clone)]
struct Graph {
    adj: Vec<Vec<(usize, f64)>>,
    self_loops: Vec<f64>,
}

impl Graph {
    fn degree(&self, i: usize) -> f64 {
        self.adj[i].iter().map(|(_, w)| w).sum::<f64>() + 2.0 * self.self_loops[i]
    }
}

/// The community of each of `n` nodes, numbered from 0 in order of first node.
pub fn louvain(n: usize, edges: &[(usize, usize, f64)], seed: u64) -> Vec<usize> {
    let mut graph = Graph { adj: vec![Vec::new(); n], self_loops: vec![0.0; n] };
    for &(a, b, w) in edges.iter().filter(|e| e.2 > 0.0 && e.0 < n && e.1 < n) {
        if a == b {
            graph.self_loops[a] += w;
        } else {
            graph.adj[a].push((b, w));
            graph.adj[b].push((a, w));
        }
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut membership: Vec<usize> = (0..n).collect();
    loop {
        let (communities, moved) = local_moving(&graph, &mut rng);
        if !moved {
            break;
        }
        let (renumbered, count) = renumber(&communities);
        for m in &mut membership {
            *m = renumbered[*m];
        }
        graph = aggregate(&graph, &renumbered, count);
    }
    renumber(&membership).0
}

/// One level of local moving; returns each node's community and whether any node moved.
fn local_moving(graph: &Graph, rng: &mut fastrand::Rng) -> (Vec<usize>, bool) {
    let n = graph.adj.len();
    let degrees: Vec<f64> = (0..n).map(|i| graph.degree(i)).collect();
    let m2: f64 = degrees.iter().sum();
    let mut community: Vec<usize> = (0..n).collect();
    if m2 <= 0.0 {
        return (community, false);
    }
    let mut total = degrees.clone();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut weight_to = vec![0.0f64; n];
    let mut moved_any = false;
    loop {
        let mut moved = false;
        for &i in &order {
            let own = community[i];
            let mut touched: Vec<usize> = vec![own];
            for &(j, w) in &graph.adj[i] {
                let c = community[j];
                if weight_to[c] == 0.0 && !touched.contains(&c) {
                    touched.push(c);
                }
                weight_to[c] += w;
            }
            total[own] -= degrees[i];
            let gain = |c: usize| weight_to[c] - total[c] * degrees[i] / m2;
            let mut best = own;
            let mut best_gain = gain(own);
            for &c in &touched[1..] {
                let g = gain(c);
                if g > best_gain + 1e-12 {
                    best = c;
                    best_gain = g;
                }
            }
            total[best] += degrees[i];
            for &c in &touched {
                weight_to[c] = 0.0;
            }
            if best != own {
                community[i] = best;
                moved = true;
                moved_any = true;
            }
        }
        if !moved {
            break;
        }
    }
    (community, moved_any)
}

/// Community labels renumbered 0.. in order of first appearance, and how many there are.
fn renumber(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut map = std::collections::HashMap::new();
    let out = labels
        .iter()
        .map(|l| {
            let next = map.len();
            *map.entry(*l).or_insert(next)
        })
        .collect();
    (out, map.len())
}

/// The graph of communities: internal weight becomes a self-loop.
fn aggregate(graph: &Graph, community: &[usize], count: usize) -> Graph {
    let mut weights: Vec<std::collections::BTreeMap<usize, f64>> = vec![Default::default(); count];
    let mut self_loops = vec![0.0; count];
    for (i, adj) in graph.adj.iter().enumerate() {
        let ci = community[i];
        self_loops[ci] += graph.self_loops[i];
        for &(j, w) in adj {
            let cj = community[j];
            if ci == cj {
                self_loops[ci] += w / 2.0;
            } else {
                *weights[ci].entry(cj).or_default() += w;
            }
        }
    }
    Graph { adj: weights.into_iter().map(|m| m.into_iter().collect()).collect(), self_loops }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_cliques_joined_by_one_edge_are_two_communities() {
        let mut edges = Vec::new();
        for group in [0..5, 5..10] {
            for a in group.clone() {
                for b in group.clone().filter(|b| *b > a) {
                    edges.push((a, b, 1.0));
                }
            }
        }
        edges.push((4, 5, 0.5));
        for seed in [1, 2, 3] {
            let c = louvain(10, &edges, seed);
            assert!(c[..5].iter().all(|x| *x == c[0]) && c[5..].iter().all(|x| *x == c[5]), "{c:?}");
            assert_ne!(c[0], c[5]);
        }
        assert_eq!(louvain(10, &edges, 7), louvain(10, &edges, 7), "same seed, same answer");
    }

    #[test]
    fn isolated_nodes_stay_alone() {
        assert_eq!(louvain(3, &[], 1), [0, 1, 2]);
        assert_eq!(louvain(3, &[(0, 1, 1.0)], 1), [0, 0, 1]);
    }
}
