namespace PatientJourney.Dashboard;

/// <summary>
/// The pages' only stylesheet and script, served from this site so that the Content-Security-Policy can forbid every
/// inline script and style (`script-src 'self'; style-src 'self'`): an injected tag or attribute runs nothing.
/// </summary>
public static class Assets
{
    public const string StylesheetPath = "/assets/dashboard.css";
    public const string LiveScriptPath = "/assets/live.js";
    public const string ActionsScriptPath = "/assets/actions.js";

    public static void Map(IEndpointRouteBuilder app)
    {
        // Anonymous: the sign-in page uses the stylesheet too. Neither file holds any patient data.
        app.MapGet(StylesheetPath, () => Results.Text(Stylesheet, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(LiveScriptPath, () => Results.Text(LiveScript, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(ActionsScriptPath, () => Results.Text(ActionsScript, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
    }

    public const string Stylesheet = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; }
        header { display: flex; flex-wrap: wrap; gap: 2rem; align-items: baseline; padding: .8rem 1.5rem; background: #0b3d5c; color: #fff; }
        header a { color: #fff; }
        header form.signout { margin-left: auto; display: flex; gap: .6rem; align-items: baseline; }
        main { padding: 1rem 1.5rem; max-width: 80rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .35rem .7rem; border-bottom: 1px solid #ddd; vertical-align: top; }
        caption { text-align: left; font-weight: 600; padding-bottom: .5rem; }
        .overdue { color: #a00; font-weight: 700; }
        .due { color: #8a5a00; font-weight: 700; }
        .suspended { color: #555; font-style: italic; }
        .alert { border-left: 4px solid #a00; background: #fdecea; padding: .5rem .8rem; margin: .3rem 0; }
        .warning { border-left-color: #8a5a00; background: #fff4e0; }
        .lanes { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: .8rem; }
        .lanes section { border: 1px solid #ccc; border-radius: 4px; padding: .4rem .6rem; }
        .lanes ol { padding-left: 1.1rem; margin: .3rem 0; }
        .counts { display: flex; gap: 1rem; list-style: none; padding: 0; }
        form.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; margin: .5rem 0 1rem; }
        svg.chart { max-width: 640px; }
        :focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
        code { word-break: break-all; font-size: .85em; }
        body.signin { margin: 2rem; max-width: 40rem; }
        body.signin textarea { width: 100%; height: 8rem; }
        .error { color: #b00020; }
        form.action { display: flex; flex-wrap: wrap; gap: .4rem; align-items: baseline; margin: .3rem 0; }
        .error:empty { display: none; }
        .hint { font-size: .85em; color: #444; flex-basis: 100%; }
        form.action textarea { width: 100%; font-family: monospace; }
        del { text-decoration-thickness: 2px; }
        .badge { display: inline-block; font-size: .8em; padding: 0 .4rem; border: 1px solid #0b6e99; border-radius: 3px; color: #0b3d5c; }
        ul.rules li { margin: .4rem 0; }
        ul.rules cite { font-style: normal; font-weight: 600; }
        .correction { font-size: .9em; }
        details.correct { margin: .2rem 0 .5rem; }
        @media (max-width: 900px) { .lanes { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
        """;

    /// <summary>
    /// The patient page follows the journey live (server-sent events relayed by the dashboard with the user's token):
    /// when the journey stores an event for her, the page fetches itself again and swaps its content in place. When
    /// the relay ends because the sign-in expired (or cannot go on), the page says it is no longer live.
    /// </summary>
    public const string LiveScript = """
        (() => {
          const script = document.currentScript;
          const live = new EventSource(script.dataset.live);
          const ended = (text, signIn) => {
            live.close();
            if (document.querySelector('[data-live-ended]')) return;
            const notice = document.createElement('p');
            notice.className = 'alert warning';
            notice.setAttribute('role', 'alert');
            notice.dataset.liveEnded = signIn ? 'expired' : 'stopped';
            notice.append(text + ' ');
            if (signIn) {
              const link = document.createElement('a');
              link.href = '/signin?returnUrl=' + encodeURIComponent(location.pathname + location.search);
              link.textContent = 'Sign in again';
              notice.append(link);
            }
            document.body.insertBefore(notice, document.getElementById('main'));
          };
          // The actions box the user is working in (typing, answered, focused) survives the refresh: a fact recorded
          // meanwhile, her own included, must not wipe what she typed or the answer she is reading.
          const edited = form => [...form.elements].some(field => field.tagName === 'SELECT'
            ? [...field.options].some(option => option.selected !== option.defaultSelected)
            : field.type !== 'hidden' && 'defaultValue' in field && field.value !== field.defaultValue);
          const inUse = box => box.contains(document.activeElement)
            || [...box.querySelectorAll('[data-recorded], [data-error-for]')].some(said => said.textContent)
            || [...box.querySelectorAll('form')].some(edited);
          live.addEventListener('recorded', async () => {
            const page = await fetch(location.href, { headers: { 'Accept': 'text/html' } });
            if (!page.ok) return;
            const next = new DOMParser().parseFromString(await page.text(), 'text/html');
            const main = document.getElementById('main');
            // Every box in use is kept: the navigator's actions, a fact's corrections (matched by id); a box the new
            // page no longer has (a fact just retracted) goes with the old content.
            const kept = [...main.querySelectorAll('[data-actions]')].filter(inUse);
            const focused = document.activeElement;
            main.innerHTML = next.getElementById('main').innerHTML;
            const fresh = [...main.querySelectorAll('[data-actions]')];
            for (const box of kept) {
              const same = fresh.find(f => f.id === box.id);
              if (!same) continue;
              same.replaceWith(box);
              if (box.contains(focused)) focused.focus();
            }
          });
          live.addEventListener('expired', () => ended('Live updates stopped: your sign-in has expired.', true));
          live.addEventListener('error', () => { if (live.readyState === EventSource.CLOSED) ended('Live updates stopped.', false); });
        })();
        """;

    /// <summary>
    /// The navigator's actions answered in place: a form[data-action] is posted with fetch (same origin, its anti-forgery
    /// field in the body) and the dashboard's JSON answer either changes the row's status cell or puts the department's
    /// errors beside their fields. Anything else (a sign-in page, a network failure) falls back to posting the form.
    /// </summary>
    public const string ActionsScript = """
        (() => {
          document.addEventListener('submit', async (event) => {
            const form = event.target;
            if (!(form instanceof HTMLFormElement) || !form.dataset.action || form.dataset.plain) return;
            event.preventDefault();
            const button = form.querySelector('button[type=submit]');
            button.disabled = true;
            let answer;
            try {
              const response = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
              if (!(response.headers.get('Content-Type') || '').includes('application/json')) throw new Error('not an answer');
              answer = await response.json();
            } catch {
              form.dataset.plain = 'true';
              button.disabled = false;
              form.submit();
              return;
            }
            button.disabled = false;
            const errors = answer.errors || {};
            const general = [];
            form.querySelectorAll('[data-error-for]').forEach(span => { span.textContent = ''; });
            form.querySelectorAll('[aria-invalid]').forEach(field => field.removeAttribute('aria-invalid'));
            for (const [name, messages] of Object.entries(errors)) {
              const field = form.elements.namedItem(name);
              const span = field && field.type !== 'hidden' ? document.getElementById(field.id + '-error') : null;
              if (span) { span.textContent = messages.join(' '); field.setAttribute('aria-invalid', 'true'); }
              else general.push(name + ': ' + messages.join(' '));
            }
            if (!answer.accepted && general.length === 0 && Object.keys(errors).length === 0 && answer.detail) general.push(answer.detail);
            form.querySelector('[data-error-for=""]').textContent = general.join(' ');
            if (!answer.accepted) {
              const first = form.querySelector('[aria-invalid=true]');
              if (first) first.focus();
              return;
            }
            const row = form.closest('tr[data-patient]');
            const cell = row && row.querySelector('td[data-status]');
            if (cell && answer.statusAfter) {
              cell.textContent = answer.statusAfter;
              cell.className = answer.statusAfter;
              cell.dataset.status = answer.statusAfter;
            }
            const done = form.closest('[data-actions]')?.querySelector('[data-recorded]');
            if (done) done.textContent = 'Recorded: ' + (form.querySelector('button[type=submit]').textContent) + '.';
          });
        })();
        """;
}
