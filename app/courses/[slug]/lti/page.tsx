import { getDb } from "@/db";
import { requireCourseInstructor } from "@/app/_lib/auth/course-access";
import { Card, CardTitle } from "@/app/_components/ui/card";
import { Button } from "@/app/_components/ui/button";
import { listPlatforms } from "@/db/queries/lti/platforms";
import { contextsOfCourse } from "@/db/queries/lti/contexts";
import { activeToolKey } from "@/db/queries/lti/tool-keys";
import { listScoreSends } from "@/db/queries/lti/score-sends";
import { toolConfiguration } from "@/app/_lib/lti/tool-configuration";
import { toolBaseUrl } from "@/app/_lib/lti/tool-urls";
import { makeRegistrationUrlAction, registerPlatformAction, rotateKeyAction, syncRosterAction } from "./actions";

export const metadata = { title: "LMS integration (LTI)" };

const FIELDS = [
  { name: "name", label: "Name", hint: "For you, e.g. University Canvas" },
  { name: "issuer", label: "Issuer", hint: "Canvas: https://canvas.instructure.com; Moodle: the site URL" },
  { name: "clientId", label: "Client id", hint: "Shown by the LMS after the tool is added" },
  { name: "deploymentIds", label: "Deployment ids", hint: "One or more, separated by commas" },
  { name: "authLoginUrl", label: "Authorisation URL (OIDC auth endpoint)", hint: "Canvas: https://sso.canvaslms.com/api/lti/authorize_redirect" },
  { name: "authTokenUrl", label: "Access token URL", hint: "Canvas: https://sso.canvaslms.com/login/oauth2/token" },
  { name: "jwksUrl", label: "Public keyset URL", hint: "Canvas: https://sso.canvaslms.com/api/lti/security/jwks" },
] as const;

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—");

/** Registration of LMSs (LTI 1.3), the tool's configuration and keys, linked LMS courses with roster sync, and every grade sent back. */
export default async function LtiPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { slug } = await params;
  const { done, error, registration } = await searchParams;
  const { course } = await requireCourseInstructor(slug, `/courses/${slug}/lti`);
  const db = await getDb();
  const base = toolBaseUrl();
  const platforms = (await listPlatforms(db)).filter((p) => p.courseId === course.id);
  const contexts = await contextsOfCourse(db, course.id);
  const key = await activeToolKey(db);
  const sends = await listScoreSends(db, course.id);
  const config = toolConfiguration(base, course.slug);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">{course.title}</p>
        <h1 className="text-3xl font-bold">LMS integration (LTI 1.3)</h1>
      </div>
      {done && <p role="status" className="rounded-md bg-green-50 p-3 text-green-900 ring-1 ring-green-200">{done}</p>}
      {error && <p role="alert" className="rounded-md bg-red-50 p-3 text-red-900 ring-1 ring-red-200">{error}</p>}

      <Card aria-labelledby="tool-config">
        <CardTitle id="tool-config">Tool configuration</CardTitle>
        <p className="mt-2 text-sm text-slate-600">
          Give these to the LMS when you add Tensorgrade as an LTI 1.3 tool, or paste the dynamic registration URL if the LMS supports it
          (Moodle: Site administration → Plugins → Manage tools → Tool URL).
        </p>
        <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">Login initiation URL</dt><dd><code data-testid="login-url">{config.oidc_initiation_url}</code></dd>
          <dt className="font-medium">Redirect / launch URL</dt><dd><code>{config.target_link_uri}</code></dd>
          <dt className="font-medium">Deep linking URL</dt><dd><code>{config.target_link_uri}</code></dd>
          <dt className="font-medium">Public keyset (JWKS) URL</dt><dd><code>{config.public_jwk_url}</code></dd>
          <dt className="font-medium">Signing key in use</dt><dd><code>{key ? key.kid : "none yet (made on first use)"}</code></dd>
        </dl>
        <details className="mt-3">
          <summary className="cursor-pointer text-sm font-medium">Configuration as JSON (Canvas “Paste JSON”)</summary>
          <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-3 text-xs" data-testid="tool-config-json">{JSON.stringify(config, null, 2)}</pre>
        </details>
        {registration && (
          <p className="mt-3 text-sm">
            Dynamic registration URL (single use, valid for a day; give it only to the LMS administrator):{" "}
            <code className="break-all" data-testid="dynamic-registration-url">{registration}</code>
          </p>
        )}
        <div className="mt-3 flex flex-wrap gap-3">
          <form action={makeRegistrationUrlAction}>
            <input type="hidden" name="slug" value={course.slug} />
            <Button type="submit" variant="secondary" size="sm">Make a dynamic registration URL</Button>
          </form>
          <form action={rotateKeyAction}>
            <input type="hidden" name="slug" value={course.slug} />
            <Button type="submit" variant="secondary" size="sm">Rotate signing key</Button>
          </form>
        </div>
      </Card>

      <Card aria-labelledby="platforms">
        <CardTitle id="platforms">Registered LMSs</CardTitle>
        {platforms.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No LMS is registered for this course yet.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm" data-testid="platforms">
            <thead className="text-slate-500"><tr><th className="p-2">Name</th><th className="p-2">Issuer</th><th className="p-2">Client id</th><th className="p-2">Deployments</th></tr></thead>
            <tbody>
              {platforms.map((p) => (
                <tr key={p.id} className="border-t border-slate-100"><td className="p-2">{p.name}</td><td className="p-2">{p.issuer}</td><td className="p-2">{p.clientId}</td><td className="p-2">{p.deploymentIds.join(", ")}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        <form action={registerPlatformAction} className="mt-4 grid gap-3 sm:grid-cols-2" aria-label="Register an LMS">
          <input type="hidden" name="slug" value={course.slug} />
          {FIELDS.map((f) => (
            <label key={f.name} className="block text-sm">
              <span className="font-medium">{f.label}</span>
              <input name={f.name} required className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5" aria-describedby={`${f.name}-hint`} />
              <span id={`${f.name}-hint`} className="text-xs text-slate-500">{f.hint}</span>
            </label>
          ))}
          <div className="sm:col-span-2"><Button type="submit">Register LMS</Button></div>
        </form>
      </Card>

      <Card aria-labelledby="contexts">
        <CardTitle id="contexts">Linked LMS courses</CardTitle>
        {contexts.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No LMS course has launched Tensorgrade yet.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm" data-testid="contexts">
            <thead className="text-slate-500"><tr><th className="p-2">LMS course</th><th className="p-2">LMS</th><th className="p-2">Roster synced</th><th className="p-2"></th></tr></thead>
            <tbody>
              {contexts.map(({ context, platform }) => (
                <tr key={context.id} className="border-t border-slate-100">
                  <td className="p-2">{context.title}</td>
                  <td className="p-2">{platform.name}</td>
                  <td className="p-2">{when(context.rosterSyncedAt)}</td>
                  <td className="p-2">
                    <form action={syncRosterAction}>
                      <input type="hidden" name="slug" value={course.slug} />
                      <input type="hidden" name="contextRowId" value={context.id} />
                      <Button type="submit" size="sm" variant="secondary" disabled={!context.membershipsUrl}>Sync roster</Button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>

      <Card aria-labelledby="sends">
        <CardTitle id="sends">Grades sent to the LMS</CardTitle>
        <p className="mt-2 text-sm text-slate-600">Every score change of a student who launched from the LMS is sent to its gradebook column, retried when the LMS does not answer.</p>
        {sends.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">Nothing has been sent yet.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm" data-testid="score-sends">
            <thead className="text-slate-500"><tr><th className="p-2">Student</th><th className="p-2">Item</th><th className="p-2">Score</th><th className="p-2">Status</th><th className="p-2">Changed</th><th className="p-2">Sent</th><th className="p-2">Error</th></tr></thead>
            <tbody>
              {sends.map((s) => (
                <tr key={s.id} className="border-t border-slate-100 tabular-nums">
                  <td className="p-2">{s.studentName}</td>
                  <td className="p-2">{s.targetKind === "quiz" ? `Lesson ${s.targetNumber} quiz` : `Assignment ${s.targetNumber}`}</td>
                  <td className="p-2">{s.scoreGiven.toFixed(1)} / {s.scoreMaximum}</td>
                  <td className="p-2">{s.status}{s.attempts > 1 ? ` (${s.attempts} tries)` : ""}</td>
                  <td className="p-2">{when(s.scoreTimestamp)}</td>
                  <td className="p-2">{when(s.sentAt)}</td>
                  <td className="p-2 text-red-800">{s.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
