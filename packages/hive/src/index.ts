export * from "./Cell.js"
export * from "./Hive.js"
export * from "./HiveErrors.js"
export * from "./HiveSessions.js"
