// Remix options, passed to the Vite plugin by vite.config.ts.
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  // REMIX_BUILD_DIR lets two builds live side by side (e.g. parallel browser-test runs); default build/.
  buildDirectory: process.env.REMIX_BUILD_DIR ?? "build",
  ignoredRouteFiles: ["**/*.test.{ts,tsx}", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
    v3_routeConfig: true,
  },
};
