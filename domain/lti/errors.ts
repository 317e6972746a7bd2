/**
 * Why an LTI message was refused. Each code has a sentence a person in front of the LMS can act on
 * (or pass to whoever runs the LMS); the HTTP status is 400 for a malformed request, 401 for one
 * that did not prove who sent it, 403 for one from a party the tool does not know.
 * @see https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation
 */
export const LTI_REFUSALS = {
  missingParameters: { status: 400, message: "The LMS did not send the parameters an LTI launch needs." },
  unknownPlatform: { status: 403, message: "This LMS (issuer and client id) is not registered with Tensorgrade. An instructor must register it first." },
  unknownDeployment: { status: 403, message: "This LMS deployment is not registered with Tensorgrade. Ask the instructor to add its deployment id." },
  badState: { status: 401, message: "This launch did not start in this browser, or it has expired. Open the tool again from the LMS." },
  replayed: { status: 401, message: "This launch was already used. Open the tool again from the LMS to start a fresh one." },
  badSignature: { status: 401, message: "The launch token's signature does not verify against the LMS's published keys." },
  unknownKey: { status: 401, message: "The launch token was signed with a key the LMS does not publish." },
  unsignedToken: { status: 401, message: "The launch token is not signed (or uses an algorithm Tensorgrade does not accept)." },
  expired: { status: 401, message: "The launch token has expired. Open the tool again from the LMS." },
  notYetValid: { status: 401, message: "The launch token was issued in the future; check the LMS server's clock." },
  wrongIssuer: { status: 401, message: "The launch token was issued by a different LMS than the one that started the login." },
  wrongAudience: { status: 401, message: "The launch token was not issued for Tensorgrade's client id." },
  wrongNonce: { status: 401, message: "The launch token's nonce does not match the login this browser started." },
  badClaims: { status: 400, message: "The launch token lacks LTI 1.3 claims Tensorgrade needs (message type, version, user, context)." },
  unsupportedMessage: { status: 400, message: "Tensorgrade accepts LTI 1.3.0 resource-link and deep-linking launches only." },
  notInstructor: { status: 403, message: "Only an instructor can choose which Tensorgrade content to add to the course." },
  badTicket: { status: 401, message: "This sign-in link has expired or was already used. Open the tool again from the LMS." },
} as const;

export type LtiRefusalCode = keyof typeof LTI_REFUSALS;

/** A refused LTI request; its message is safe to show (no token contents, no stack). */
export class LtiRefusal extends Error {
  readonly status: number;
  constructor(
    readonly code: LtiRefusalCode,
    /** Extra detail for the log, never for the page. */
    readonly detail?: string,
  ) {
    super(LTI_REFUSALS[code].message);
    this.name = "LtiRefusal";
    this.status = LTI_REFUSALS[code].status;
  }
}
