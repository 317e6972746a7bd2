/**
 * LMS roles to Tensorgrade roles. LTI 1.3 sends full role URIs (context roles such as
 * `http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor`, sub-roles with a `#Role/Sub`
 * fragment, institution roles); NRPS may send the short forms (`Instructor`).
 * @see https://www.imsglobal.org/spec/lti/v1p3#role-vocabularies
 */
const TEACHING_ROLES = new Set(["Instructor", "TeachingAssistant", "ContentDeveloper", "Administrator"]);

/** The last path or fragment segment naming the role, whatever vocabulary form it came in. */
function roleName(uri: string): string {
  const membership = uri.match(/membership(?:\/[A-Za-z]+)?#([A-Za-z]+)/);
  if (membership) return membership[1];
  const tail = uri.split(/[#/]/).pop() ?? uri;
  return tail;
}

/** Instructor, TA, content developer or administrator in this context → instructor; anyone else → student. */
export function tensorgradeRole(roles: readonly string[]): "instructor" | "student" {
  return roles.some((r) => TEACHING_ROLES.has(roleName(r)) && !/(institution|system)\/person#/.test(r)) ? "instructor" : "student";
}
