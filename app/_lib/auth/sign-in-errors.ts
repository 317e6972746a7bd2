/**
 * What a failed sign-in may say. next-auth carries a failure to the browser as `?error=<code>` in a
 * URL (for a credentials sign-in, the message of whatever `authorize` threw), and anyone can craft
 * such a URL. So only fixed codes are ever thrown, and the sign-in page and form show the fixed
 * message of a known code — never the text of the URL. Details (a failed query's SQL and its
 * parameters, a stack) go to the server log with an `[auth]` prefix. Imported by client code: no
 * server imports here.
 */

/** The codes Tensorgrade itself puts into `?error=` (next-auth adds its own, e.g. `OAuthCallback`). */
export const SIGN_IN_ERROR = {
  /** next-auth's code for `authorize` returning null: wrong password, unknown email or a malformed form. */
  invalid: "CredentialsSignin",
  /** The server could not check the password (database down, …). */
  unavailable: "SignInUnavailable",
  /** An OAuth/OIDC provider did not share an email address. */
  oauthNoEmail: "OAuthNoEmail",
} as const;

const THROTTLED_PREFIX = "TooManySignIns-";
/** A wait longer than this (in seconds) is not one the server sets; such a code is treated as unknown. */
const MAX_THROTTLE_SECONDS = 24 * 60 * 60;

/** The code for "this account from this client must wait `seconds` before trying again". */
export function throttledErrorCode(seconds: number): string {
  return `${THROTTLED_PREFIX}${Math.max(1, Math.ceil(seconds))}`;
}

/** One message for an unknown email and a wrong password: sign-in never reveals which accounts exist. */
export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect.";
export const SIGN_IN_UNAVAILABLE_MESSAGE = "Sign-in is unavailable right now. Please try again in a few minutes.";
const GENERIC_MESSAGE = "Sign-in did not work. Please try again.";

function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** The message for a `?error=` code, or null when there is none. Unknown codes get one generic message. */
export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code === SIGN_IN_ERROR.invalid) return INVALID_CREDENTIALS_MESSAGE;
  if (code === SIGN_IN_ERROR.unavailable) return SIGN_IN_UNAVAILABLE_MESSAGE;
  if (code === SIGN_IN_ERROR.oauthNoEmail) return "Your sign-in provider did not share an email address, which Tensorgrade needs.";
  const throttled = code.startsWith(THROTTLED_PREFIX) ? /^\d{1,6}$/.exec(code.slice(THROTTLED_PREFIX.length)) : null;
  const seconds = throttled ? Number(throttled[0]) : NaN;
  if (seconds >= 1 && seconds <= MAX_THROTTLE_SECONDS) {
    return `Too many failed sign-ins. Try again in ${waitText(seconds)}.`;
  }
  return GENERIC_MESSAGE;
}
