/**
 * Synthetic learnings for the benchmark: deterministic (seeded), shaped like what agents store
 * ("The billing api connection pool times out after 30 seconds under heavy load; see pgbouncer"),
 * with a shared technical vocabulary plus rare identifiers, so that texts cluster by topic the way
 * real memories do and full-text search has both common and rare terms.
 */
import { mulberry32 } from "../src/internal/mulberry32.js"

export { mulberry32 }

const SYSTEMS = (
  "auth service|billing api|payment gateway|search indexer|notification worker|user profile service|" +
  "inventory api|order pipeline|analytics job|report generator|email sender|file uploader|image resizer|" +
  "session store|feature flag service|audit logger|graphql gateway|admin dashboard|mobile backend|" +
  "recommendation engine|pricing service|shipping tracker|chat server|webhook relay|ci runner|" +
  "deploy script|metrics exporter|log shipper|backup job|cron scheduler|identity provider|oauth client|" +
  "rate limiter|cdn edge|dns resolver|kafka consumer|redis cache|postgres primary|read replica|" +
  "elasticsearch cluster|s3 bucket policy|lambda function|docker build|kubernetes ingress|terraform module|" +
  "python sdk|typescript client|go service|rust parser|java monolith"
).split("|")

const COMPONENTS = (
  "refresh token|connection pool|retry policy|cache layer|migration script|webhook handler|batch size|" +
  "timeout setting|health check|circuit breaker|thread pool|index rebuild|schema validation|json parser|" +
  "date formatting|timezone handling|unicode normalisation|pagination cursor|idempotency key|dead letter queue|" +
  "backoff jitter|tls certificate|api key rotation|cors policy|csrf token|file lock|memory limit|disk quota|" +
  "log level|feature toggle|load balancer|sticky session|websocket heartbeat|dns ttl|query planner|" +
  "vacuum schedule|replication lag|clock skew|secret manager|env variable"
).split("|")

const FINDINGS = (
  "needs a|fails without a|times out after|must be retried with|leaks memory past|breaks with more than|" +
  "works only with|silently drops data beyond|should be capped at|is faster with|needs warming for|" +
  "rejects requests over|drifts by|must be refreshed every|doubles latency above|was fixed by adding a|" +
  "regressed after raising it to|is safe at|corrupts state without a|logs errors after"
).split("|")

const UNITS = "seconds|minutes|ms|requests|MB|rows|connections|retries|workers|percent|hours|items".split("|")

const CONDITIONS = (
  "under heavy load|after a deploy|in staging only|when the clock skews|during the nightly backup|" +
  "on cold start|with large payloads|behind the corporate proxy|on arm64 runners|in the eu region|" +
  "when the cache is empty|after failover|with http2 enabled|under node 20|when tests run in parallel|" +
  "for enterprise tenants|on the free tier|during peak traffic|with ipv6 only|when disk is nearly full"
).split("|")

const TECH = (
  "pgbouncer|grafana|prometheus|sentry|datadog|vitest|jest|eslint|webpack|vite|esbuild|pnpm|yarn|nginx|" +
  "envoy|istio|helm|argo|jenkins|github actions|circleci|vault|consul|etcd|zookeeper|rabbitmq|nats|" +
  "clickhouse|bigquery|snowflake|dynamodb|mongodb|sqlite|libsql|turso|supabase|firebase|stripe|twilio|" +
  "sendgrid|auth0|okta|keycloak|cloudflare|fastly|akamai|opentelemetry|jaeger|zipkin|graphite|statsd"
).split("|")

const SYLLABLES = "ka|ro|mi|tu|ze|lo|pa|ni|sha|vek|dor|lin|qua|bex|tor|fyn|gal|mur|pix|zed".split("|")

const pick = <A>(rand: () => number, xs: ReadonlyArray<A>): A => xs[Math.floor(rand() * xs.length)]!

/** A rare identifier such as `kavek_tor` (a function, table or ticket name). */
const identifier = (rand: () => number): string => {
  const parts = 2 + Math.floor(rand() * 2)
  let word = ""
  for (let i = 0; i < parts; i++) word += pick(rand, SYLLABLES)
  return rand() < 0.5 ? word : `${word}_${pick(rand, SYLLABLES)}${pick(rand, SYLLABLES)}`
}

/** `count` learnings from `seed`. */
export const learnings = (count: number, seed = 7): Array<string> => {
  const rand = mulberry32(seed)
  const out: Array<string> = []
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(rand() * 500)
    const sentence = `The ${pick(rand, SYSTEMS)} ${pick(rand, COMPONENTS)} ${pick(rand, FINDINGS)} ${n} ${pick(rand, UNITS)} ` +
      `${pick(rand, CONDITIONS)}; see ${pick(rand, TECH)} and ${identifier(rand)}.`
    out.push(rand() < 0.3 ? `${sentence} Confirmed with ${pick(rand, TECH)} in ${identifier(rand)}.` : sentence)
  }
  return out
}

/** A query about one of the texts: a few of its words, the way an agent would ask later. */
export const queryFor = (text: string, rand: () => number): string => {
  const words = text.replace(/[.;]/g, "").split(" ").filter((w) => w.length > 2 && !/^\d+$/.test(w))
  const kept = words.filter(() => rand() < 0.45)
  return (kept.length >= 2 ? kept : words.slice(1, 4)).join(" ")
}
