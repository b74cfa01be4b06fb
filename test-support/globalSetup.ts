// Starts the real servers the contract suites run against (filled in as adapters arrive).
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {}
}
