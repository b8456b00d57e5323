import { describe, expect, it } from "vitest";
import { makeRequest } from "./helpers";
import { clientAddress } from "~/session.server";
import { TrustProxySchema } from "~/env.server";

function requestWith(headers: Record<string, string> = {}) {
  return makeRequest("/login", { method: "POST", headers });
}

const proxies = (value: string) => TrustProxySchema.parse(value);

describe("the client's address with no proxy configured (the default)", () => {
  it("is the connection's address; X-Forwarded-For and X-Real-IP from the client are ignored", () => {
    const request = requestWith({ "X-Forwarded-For": "6.6.6.6", "X-Real-IP": "7.7.7.7" });
    expect(clientAddress(request, { remoteAddress: "198.51.100.7" }, [])).toBe("198.51.100.7");
  });

  it("reads the same from the environment when TRUST_PROXY is unset", () => {
    expect(clientAddress(requestWith({ "X-Forwarded-For": "6.6.6.6" }), { remoteAddress: "198.51.100.7" })).toBe("198.51.100.7");
  });

  it("spells an IPv4 client on a dual-stack socket as plain IPv4", () => {
    expect(clientAddress(requestWith(), { remoteAddress: "::ffff:198.51.100.7" }, [])).toBe("198.51.100.7");
  });

  it.each([undefined, {}, { remoteAddress: "" }, { remoteAddress: 42 }])("is \"unknown\" when the load context gives no address (%j)", (context) => {
    expect(clientAddress(requestWith({ "X-Forwarded-For": "6.6.6.6" }), context, [])).toBe("unknown");
  });
});

describe("the client's address behind a configured proxy (TRUST_PROXY)", () => {
  it("is the right-most X-Forwarded-For entry our proxy added, not what the client wrote before it", () => {
    const request = requestWith({ "X-Forwarded-For": "6.6.6.6, 203.0.113.9" });
    expect(clientAddress(request, { remoteAddress: "127.0.0.1" }, proxies("127.0.0.1"))).toBe("203.0.113.9");
  });

  it("skips every trusted hop, by address or CIDR range", () => {
    const request = requestWith({ "X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.1.2.3" });
    expect(clientAddress(request, { remoteAddress: "::ffff:127.0.0.1" }, proxies("10.0.0.0/8, 127.0.0.1"))).toBe("203.0.113.9");
  });

  it("reads several X-Forwarded-For headers as one list", () => {
    const headers = new Headers([["X-Forwarded-For", "6.6.6.6"], ["X-Forwarded-For", "203.0.113.9"]]);
    const request = new Request("http://localhost/login", { method: "POST", headers });
    expect(clientAddress(request, { remoteAddress: "127.0.0.1" }, proxies("127.0.0.1"))).toBe("203.0.113.9");
  });

  it("understands IPv6 proxies and bracketed addresses with ports", () => {
    const request = requestWith({ "X-Forwarded-For": "[2001:DB8::7]:4711" });
    expect(clientAddress(request, { remoteAddress: "::1" }, proxies("::1"))).toBe("2001:db8::7");
  });

  it("ignores X-Forwarded-For from a connection that is not one of the proxies", () => {
    const request = requestWith({ "X-Forwarded-For": "203.0.113.9" });
    expect(clientAddress(request, { remoteAddress: "198.51.100.7" }, proxies("127.0.0.1,10.0.0.0/8"))).toBe("198.51.100.7");
  });

  it("is the proxy itself when it forwarded no header, and the left-most hop when every hop is a proxy", () => {
    expect(clientAddress(requestWith(), { remoteAddress: "127.0.0.1" }, proxies("127.0.0.1"))).toBe("127.0.0.1");
    const request = requestWith({ "X-Forwarded-For": "10.0.0.5, 10.0.0.6" });
    expect(clientAddress(request, { remoteAddress: "127.0.0.1" }, proxies("127.0.0.1,10.0.0.0/8"))).toBe("10.0.0.5");
  });
});

describe("TRUST_PROXY", () => {
  it("is a comma-separated list of addresses and CIDR ranges, empty by default", () => {
    expect(TrustProxySchema.parse(undefined)).toEqual([]);
    expect(TrustProxySchema.parse("")).toEqual([]);
    expect(TrustProxySchema.parse(" 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8")).toEqual(["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"]);
  });

  it.each(["proxy.internal", "10.0.0.0/33", "::1/129", "10.0.0.0/8/1", "10.0.0.0/x", "1"])("refuses %j with a message naming it", (value) => {
    const result = TrustProxySchema.safeParse(`127.0.0.1,${value}`);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([`"${value}" is not an IP address or CIDR range (e.g. 127.0.0.1,10.0.0.0/8)`]);
  });
});
