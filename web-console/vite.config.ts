import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The gateway serves the build at /console/; assets/ holds content-hashed files it caches forever.
export default defineConfig({
  base: "/console/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
    // No inline <script> or data: modules: the Content-Security-Policy allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: "es2022",
  },
  server: {
    // `npm run dev` against a gateway on localhost:8080: same-origin API calls through the proxy.
    proxy: { "/v1": "http://localhost:8080", "/openapi.yaml": "http://localhost:8080" },
  },
});
