import { allTools, listed, listingSize, toolsOf } from "./src/Registry.js"
const tools = allTools()
for (const t of tools) {
  const b = Buffer.byteLength(JSON.stringify(listed(t)))
  console.log(t.name.padEnd(28), b, Buffer.byteLength(JSON.stringify(t.inputSchema)), Buffer.byteLength(JSON.stringify(t.outputSchema)))
}
console.log(listingSize(tools), listingSize(toolsOf("core")), listingSize(toolsOf("minimal")))
console.log(JSON.stringify(listed(tools.find(t=>t.name===process.argv[2])!)))
