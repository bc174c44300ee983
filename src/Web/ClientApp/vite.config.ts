/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Preact's JSX through Vite's own transformer (oxc), no framework plugin needed. The build lands in src/Web/wwwroot,
// which ASP.NET Core serves; it is generated, never committed.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../wwwroot',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:5080',
      '/hubs': { target: 'http://localhost:5080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
