/** Memorable agent names: an adjective and a noun, e.g. "BlueLake", "SwiftFalcon". */
const ADJECTIVES = [
  "Amber", "Azure", "Blue", "Bold", "Brave", "Bright", "Calm", "Clever", "Coral", "Crimson",
  "Dusty", "Eager", "Fierce", "Gentle", "Golden", "Green", "Grey", "Happy", "Jade", "Keen",
  "Lucky", "Misty", "Noble", "Olive", "Proud", "Quick", "Quiet", "Rapid", "Red", "Rosy",
  "Rustic", "Silent", "Silver", "Sunny", "Swift", "Teal", "Vivid", "Wild", "Wise", "Young"
] as const

const NOUNS = [
  "Badger", "Beacon", "Brook", "Canyon", "Castle", "Cedar", "Cliff", "Comet", "Creek", "Dune",
  "Falcon", "Fern", "Field", "Fjord", "Forest", "Fox", "Glade", "Grove", "Harbor", "Hawk",
  "Heron", "Hill", "Island", "Lake", "Lark", "Meadow", "Mesa", "Moon", "Oak", "Otter",
  "Peak", "Pine", "Raven", "Reef", "Ridge", "River", "Stone", "Summit", "Valley", "Willow"
] as const

/** The name for two random draws in [0, 1). */
export const memorableName = (a: number, b: number): string =>
  `${ADJECTIVES[Math.floor(a * ADJECTIVES.length)]}${NOUNS[Math.floor(b * NOUNS.length)]}`

/** How many distinct names there are. */
export const NAME_SPACE = ADJECTIVES.length * NOUNS.length
