// Copies the non-TypeScript files the compiled server reads at run time (SQL migrations).
import { cpSync } from 'node:fs';
cpSync('src/catalog/migrations', 'dist/catalog/migrations', { recursive: true });
