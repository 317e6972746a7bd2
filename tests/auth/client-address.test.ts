import { describe, expect, it } from "vitest";
import {
  clientThrottleKey,
  requestClientKey,
  resolveClientAddress,
  SOCKET_ADDRESS_HEADER,
  trustedProxyList,
  UNKNOWN_CLIENT,
} from "@/app/_lib/auth/client-address";

const none = trustedProxyList([]);
const proxies = trustedProxyList(["10.0.0.0/8", "2001:db8:ffff::1"]);

describe("which client a sign-in comes from", () => {
  it("is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    for (const xff of [undefined, "203.0.113.1", "203.0.113.2, 198.51.100.9", "garbage"]) {
      expect(resolveClientAddress("192.0.2.10", xff, none)).toBe("192.0.2.10");
    }
  });

  it("is the address a trusted proxy appended, not what the client wrote before it", () => {
    // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy at 10.0.0.5 appended the real peer.
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, 203.0.113.7", proxies)).toBe("203.0.113.7");
  });

  it("walks right to left past every trusted hop, and no further", () => {
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, 203.0.113.7, 10.2.3.4", proxies)).toBe("203.0.113.7");
    expect(resolveClientAddress("10.0.0.5", "10.9.9.9, 10.2.3.4", proxies)).toBe("10.9.9.9");
  });

  it("stops at the last trusted hop when the next entry is not an address", () => {
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, not-an-ip", proxies)).toBe("10.0.0.5");
  });

  it("reads IPv4 peers of a dual-stack socket and IPv6 proxies", () => {
    expect(resolveClientAddress("::ffff:192.0.2.10", "203.0.113.1", none)).toBe("192.0.2.10");
    expect(resolveClientAddress("2001:db8:ffff::1", "2001:db8:1:2:3:4:5:6", proxies)).toBe("2001:db8:1:2:3:4:5:6");
  });

  it("keys IPv6 clients by their /64, so one host cannot rotate through its addresses", () => {
    expect(clientThrottleKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientThrottleKey("2001:db8:1:2::abcd")).toBe("2001:db8:1:2::/64");
    expect(clientThrottleKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientThrottleKey("192.0.2.10")).toBe("192.0.2.10");
  });

  it("trusts no header at all when the server did not stamp the socket address itself (plain `next start`)", () => {
    // This test process is not scripts/serve.mjs, so TG_SOCKET_ADDRESS_STAMPED is unset: a client
    // sending the stamp header, or X-Forwarded-For, is still one unknown client.
    expect(requestClientKey({ [SOCKET_ADDRESS_HEADER]: "203.0.113.1", "x-forwarded-for": "203.0.113.2" })).toBe(UNKNOWN_CLIENT);
    expect(requestClientKey({ [SOCKET_ADDRESS_HEADER]: "203.0.113.3" })).toBe(UNKNOWN_CLIENT);
  });
});
