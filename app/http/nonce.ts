import { createContext, useContext } from "react";

/**
 * The response's Content-Security-Policy nonce (app/http/security-headers.server.ts), provided by
 * entry.server.tsx; root.tsx puts it on Remix's inline scripts. Empty in the browser, which hides it.
 */
export const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
