import { describe, expect, it } from "vitest";
import { SIGN_IN_ERROR, signInErrorMessage, throttledErrorCode } from "@/app/_lib/auth/sign-in-errors";

describe("what a failed sign-in shows", () => {
  it("turns the codes Tensorgrade throws into fixed sentences", () => {
    expect(signInErrorMessage(SIGN_IN_ERROR.invalid)).toBe("Email or password is incorrect.");
    expect(signInErrorMessage(SIGN_IN_ERROR.unavailable)).toMatch(/^Sign-in is unavailable right now/);
    expect(signInErrorMessage(throttledErrorCode(4))).toBe("Too many failed sign-ins. Try again in 4 seconds.");
    expect(signInErrorMessage(throttledErrorCode(1))).toBe("Too many failed sign-ins. Try again in 1 second.");
    expect(signInErrorMessage(throttledErrorCode(300))).toBe("Too many failed sign-ins. Try again in 5 minutes.");
    expect(signInErrorMessage(undefined)).toBeNull();
  });

  it("never repeats the text of ?error=, so neither a leaked query nor a crafted link reaches the page", () => {
    const leaked = 'Failed query: select "key" from "login_attempts" where "key" in ($1) params: pair:ada@example.org 1.2.3.4';
    const phishing = "Your account is suspended. Call +1 555 0100 to restore it.";
    for (const code of [leaked, phishing, "TooManySignIns-99999999", "TooManySignIns-0", "TooManySignIns-4 <b>", "Callback"]) {
      expect(signInErrorMessage(code)).toBe("Sign-in did not work. Please try again.");
    }
  });
});
