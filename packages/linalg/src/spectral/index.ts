// Barrel of the spectral group; filled as algorithms land.
export {};
