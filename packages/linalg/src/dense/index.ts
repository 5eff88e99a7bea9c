// Barrel of the dense group; filled as algorithms land.
export {};
