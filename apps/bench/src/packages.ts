// Package benchmarks (one file per package), run after the core sections.
import type { Section } from "./sections.js";

export const packageSections: Section[] = [
];
