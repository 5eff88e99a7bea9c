// Barrel of the krylov group; filled as algorithms land.
export {};
