export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>>;
export const BODY_RESPONSE_CSP: string;
