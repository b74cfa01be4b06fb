export * from "./backends.js"
export * from "./sqld.js"
export * from "./tmp.js"
export * from "./workers.js"
