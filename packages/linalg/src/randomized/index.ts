// Barrel of the randomized group; filled as algorithms land.
export {};
