/** Dependency graphs of subtasks by index: cycles and reachability. */

/** Edges `from → to` meaning "from depends on to"; only indices in 0..n-1. */
export type Edges = ReadonlyArray<ReadonlyArray<number>>

/**
 * The cycles of the graph, one per strongly connected component with more than one node, each as
 * a path that starts and ends at the component's lowest index (`[1, 3, 2, 1]`). Deterministic.
 */
export const cycles = (edges: Edges): Array<Array<number>> => {
  const n = edges.length
  const index = new Array<number>(n).fill(-1)
  const low = new Array<number>(n).fill(0)
  const onStack = new Array<boolean>(n).fill(false)
  const stack: Array<number> = []
  const components: Array<Array<number>> = []
  let counter = 0
  const visit = (v: number): void => {
    index[v] = low[v] = counter++
    stack.push(v)
    onStack[v] = true
    for (const w of edges[v]!) {
      if (index[w] === -1) {
        visit(w)
        low[v] = Math.min(low[v]!, low[w]!)
      } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!)
    }
    if (low[v] === index[v]) {
      const component: Array<number> = []
      let w: number
      do {
        w = stack.pop()!
        onStack[w] = false
        component.push(w)
      } while (w !== v)
      if (component.length > 1) components.push(component.sort((a, b) => a - b))
    }
  }
  for (let v = 0; v < n; v++) if (index[v] === -1) visit(v)
  return components
    .sort((a, b) => a[0]! - b[0]!)
    .map((component) => cycleThrough(edges, new Set(component), component[0]!))
}

/** A shortest cycle from `start` back to itself inside `members` (breadth-first). */
const cycleThrough = (edges: Edges, members: ReadonlySet<number>, start: number): Array<number> => {
  const parent = new Map<number, number>()
  const queue = [start]
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!
    for (const w of [...edges[v]!].sort((a, b) => a - b)) {
      if (!members.has(w)) continue
      if (w === start) {
        const path = [start]
        for (let x = v; x !== start; x = parent.get(x)!) path.splice(1, 0, x)
        return [...path, start]
      }
      if (!parent.has(w)) {
        parent.set(w, v)
        queue.push(w)
      }
    }
  }
  return [start, start]
}

/** `reach[i]` holds every index that `i` depends on, directly or not. */
export const reachability = (edges: Edges): Array<Set<number>> =>
  edges.map((_, start) => {
    const seen = new Set<number>()
    const stack = [...edges[start]!]
    while (stack.length > 0) {
      const v = stack.pop()!
      if (seen.has(v)) continue
      seen.add(v)
      stack.push(...edges[v]!)
    }
    return seen
  })
