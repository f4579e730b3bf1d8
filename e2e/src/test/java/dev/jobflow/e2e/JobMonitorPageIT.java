package dev.jobflow.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;

import dev.jobflow.testing.ServiceStack;

/**
 * The job-monitor page in headless Chromium against the three services running as real processes
 * (the stack this class shares with JobFlowIT and AccessIT, see {@link SharedStack}):
 * a job started from the dialog runs to 100 % and COMPLETED before the user's eyes, a longer one is
 * cancelled from its row, a job submitted over REST appears by itself, a table read that comes back
 * late loses nothing of the feed, and the page shows the live feed going down and coming back when
 * the hub is killed and restarted. Never a full reload.
 * Screenshots go to {@code target/screenshots}.
 */
class JobMonitorPageIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    /** Holds every jobs-list response 8 s in the browser after it arrived, noting each job's status in it. */
    private static final String HOLD_JOB_LIST = """
            window.__heldStatus = {};
            const fetchNow = window.fetch.bind(window);
            window.fetch = async (input, init) => {
              const response = await fetchNow(input, init);
              if (String(input).includes('api/v1/jobs?')) {
                const page = await response.clone().json();
                page.items.forEach((job) => { window.__heldStatus[job.id] = job.status; });
                await new Promise((resolve) => setTimeout(resolve, 8000));
              }
              return response;
            };""";

    /**
     * For a failure message: the outermost elements reaching past the screen's right edge (an
     * absolutely positioned one escapes a scroll container that is not its containing block).
     */
    private static final String WIDER_THAN_THE_SCREEN = """
            () => {
              const wide = [...document.querySelectorAll('body *')].filter((e) =>
                e.getBoundingClientRect().right > window.innerWidth + 0.5);
              const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (e.classList.length ? '.' + [...e.classList].join('.') : '');
              return wide.filter((e) => !wide.includes(e.parentElement)).slice(0, 5)
                .map((e) => name(e) + ' right=' + Math.round(e.getBoundingClientRect().right) + ' in '
                  + name(e.parentElement)).join(', ');
            }""";

    private static Chromium chromium;
    private static ServiceStack stack;
    /** The key REST submits "from elsewhere" use (a service). */
    private static String apiKey;
    /** The jobs {@link #submit} started: the long ones are cancelled at the end (the stack is shared). */
    private static final List<Long> submitted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        chromium = Chromium.launch(); // first: a missing browser fails at once, with what to do
        // people reach the page through an authenticating proxy (the browser sends its header here)
        stack = SharedStack.stack();
        apiKey = stack.db().createJobApiKey("page-it");
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        try {
            if (stack != null) { // the other classes on the stack get the dispatcher's slots back
                for (long id : submitted) {
                    HttpResponse<String> cancel = HTTP.send(HttpRequest.newBuilder(URI.create(stack.api().baseUrl()
                            + "/api/v1/jobs/" + id + "/cancel")).header("Authorization", "Bearer " + apiKey)
                            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(cancel.statusCode()).as("cancel job %d: %s", id, cancel.body()).isIn(200, 409);
                }
            }
        } finally {
            if (chromium != null) {
                chromium.close();
            }
        }
    }

    @Test
    void startWatchCancelAndSeeJobsFromElsewhereLive() throws Exception {
        try (BrowserContext context = chromium.newContext(1366, 900)) {
            // as the proxy would: every request of this browser names the signed-in user and their groups (an
            // admin sees every job; AccessIT shows what a viewer sees)
            context.setExtraHTTPHeaders(Map.of("X-Forwarded-User", "pat", "X-Forwarded-Groups", "jobflow-admin"));
            Page page = context.newPage();
            JobMonitorPage ui = new JobMonitorPage(page, stack.api().baseUrl()).open();
            assertThat(ui.liveStatus()).hasAttribute("data-state", "live");
            assertThat(page.locator("#caller")).hasText("Signed in as pat (admin)");
            ui.recordProgress();

            // the queue panel: one dispatcher with 4 slots, and its last cycle once one has ended
            assertThat(ui.queueStat("capacity")).hasText("4");
            assertThat(ui.queueStat("replicas")).hasText("1");
            assertThat(page.locator("#replica-body tr")).hasCount(1);
            assertThat(page.locator("#replica-body tr td").nth(2)).not().hasText("–",
                    new LocatorAssertions.HasTextOptions().setTimeout(30_000));

            // the dialog: Esc closes it and gives the focus back; an empty name is refused in place
            Locator startButton = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start job"));
            startButton.click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            assertThat(dialog).isVisible();
            // job-api decides who runs it: the dialog says so instead of asking
            assertThat(dialog.getByLabel("Run as")).isHidden();
            assertThat(dialog.getByText("Runs as pat.")).isVisible();
            page.keyboard().press("Escape");
            assertThat(dialog).isHidden();
            assertThat(startButton).isFocused();
            startButton.click();
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start job")).click();
            assertThat(dialog.getByLabel("Name")).hasAttribute("aria-invalid", "true");
            assertThat(dialog.getByText("Give the job a name.")).isVisible();
            assertThat(dialog.getByLabel("Name")).isFocused();
            page.keyboard().press("Escape");

            // 1. a short job from the dialog: its bar moves and reaches 100 %, its status COMPLETED
            long quick = ui.startJob("Nightly load", "demo", "3");
            assertThat(ui.progressBar(quick)).hasAttribute("aria-valuenow", "100");
            assertThat(ui.status(quick)).hasText("Completed");
            assertThat(ui.row(quick).locator(".col-owner")).hasText("pat");
            assertThat(ui.row(quick).locator(".col-finished time")).not().isEmpty();
            List<Integer> seen = ui.progressSeen(quick);
            assertThat(seen).as("values the bar showed").isSorted().contains(100)
                    .anyMatch(pct -> pct > 0 && pct < 100);
            ui.screenshot("01-completed");

            // its detail: the result the demo handler returned, one completed run, a log line per step
            ui.row(quick).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Details of job " + quick
                    + " ")).click();
            Locator detail = page.locator("#job-detail");
            assertThat(detail.locator("[data-fact=result]")).containsText("\"steps\"");
            assertThat(detail.locator("#detail-runs tr")).hasCount(1);
            assertThat(detail.locator("#detail-runs tr td").nth(4)).hasText("completed");
            assertThat(detail.locator("#detail-log li").first()).containsText("step 1:");
            detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();
            assertThat(detail).isHidden();

            // 2. a longer one, cancelled from its row while it runs
            long slow = ui.startJob("Quarterly sync", "demo", "120");
            assertThat(ui.status(slow)).hasText("Running");
            ui.cancel(slow);
            assertThat(ui.status(slow)).hasText("Cancelled");
            Locator retry = ui.row(slow).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retry job "
                    + slow + " "));
            assertThat(retry).isVisible();
            ui.screenshot("02-cancelled");
            // retried in place: the same row, the same id, running again; then cancelled again
            retry.click();
            assertThat(page.getByText("Job " + slow + " is queued again")).isVisible();
            assertThat(ui.status(slow)).hasText("Running");
            ui.cancel(slow);
            assertThat(ui.status(slow)).hasText("Cancelled");

            // 3. submitted elsewhere (over REST): its row appears and runs without any reload
            long elsewhere = submit("Submitted over REST", "bob", 2);
            assertThat(ui.row(elsewhere)).isVisible();
            assertThat(ui.row(elsewhere).locator(".col-owner")).hasText("bob");
            assertThat(ui.status(elsewhere)).hasText("Completed");
            assertThat(ui.progressBar(elsewhere)).hasAttribute("aria-valuenow", "100");
            assertThat(ui.progressSeen(elsewhere)).isSorted().anyMatch(pct -> pct > 0 && pct < 100);

            // 4. no race between the table's read and the feed: a second page gets its table read held
            // back in the browser until long after the job ended; the messages of that time must win
            long racing = submit("Race check", "erin", 5);
            assertThat(ui.status(racing)).hasText("Running");
            Page second = context.newPage();
            second.addInitScript(HOLD_JOB_LIST);
            JobMonitorPage late = new JobMonitorPage(second, stack.api().baseUrl()).open();
            assertThat((String) second.evaluate("id => window.__heldStatus[id]", String.valueOf(racing)))
                    .as("status of the job in the held-back table read").isIn("QUEUED", "RUNNING");
            assertThat(late.status(racing)).hasText("Completed");
            assertThat(late.progressBar(racing)).hasAttribute("aria-valuenow", "100");
            second.close();

            // 5. the hub dies: the page says so; it comes back: the page says so and goes on live
            stack.killHub();
            assertThat(ui.liveStatus()).hasAttribute("data-state", "reconnecting");
            ui.screenshot("03-live-down");
            long whileDown = submit("Submitted while the hub was down", "carol", 1);
            stack.restartHub();
            assertThat(ui.liveStatus()).hasAttribute("data-state", "live",
                    new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
            assertThat(page.getByText("Live updates are back")).isVisible();
            assertThat(ui.status(whileDown)).hasText("Completed");
            long after = submit("Submitted after the hub came back", "carol", 2);
            assertThat(ui.status(after)).hasText("Completed");
            assertThat(ui.progressSeen(after)).isSorted().anyMatch(pct -> pct > 0 && pct < 100);

            assertThat(ui.neverReloaded()).as("the page was never reloaded").isTrue();

            // the picture for the README: jobs in every state, some bars on their way
            submit("Customer import", "alice", 60);
            long invoices = submit("Invoice run", "bob", 20);
            submit("Search reindex", "alice", 40);
            page.waitForCondition(() -> ui.progressSeen(invoices).stream().anyMatch(pct -> pct >= 50),
                    new Page.WaitForConditionOptions().setTimeout(30_000));
            page.locator(".toast-close").all().forEach(Locator::click);
            page.mouse().move(0, 0);
            ui.screenshot("job-monitor");
        }
    }

    /**
     * The queues panel and the schedules list (issue 13): a capped queue's running jobs against its
     * cap, pause and resume from the page; a schedule's next five times, run now, disable.
     */
    @Test
    void queuesAndSchedulesAreShownAndOperatedFromThePage() throws Exception {
        call("PUT", "/api/v1/queues/reports", "{\"cap\": 2}", 200);
        List<Long> reportJobs = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Matcher id = ID.matcher(call("POST", "/api/v1/jobs", """
                    {"name": "report %d", "owner": "pat", "type": "demo", "queue": "reports",
                     "params": {"duration": 60, "step": 1}}""".formatted(i), 201));
            assertThat(id.find()).isTrue();
            reportJobs.add(Long.parseLong(id.group(1)));
        }
        call("POST", "/api/v1/schedules", """
                {"name": "tick", "type": "noop", "owner": "pat", "calendar": "FREQ=MINUTELY;INTERVAL=30",
                 "timeZone": "Europe/Berlin", "enabled": true}""", 201);
        try (BrowserContext context = chromium.newContext(1366, 900)) {
            context.setExtraHTTPHeaders(Map.of("X-Forwarded-User", "pat", "X-Forwarded-Groups", "jobflow-admin"));
            Page page = context.newPage();
            new JobMonitorPage(page, stack.api().baseUrl()).open();

            Locator reports = page.locator("#queues-body tr[data-queue=reports]");
            assertThat(reports.locator("td").first()).hasText("2 / 2"); // the cap holds: 4 wait
            assertThat(reports.locator("td").nth(1)).hasText("4");
            reports.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pause queue reports")).click();
            assertThat(page.getByText("Queue reports paused: nothing new starts")).isVisible();
            assertThat(reports.locator("td").nth(4)).hasText("Paused");
            assertThat(call("GET", "/api/v1/queues/reports", null, 200)).contains("\"paused\":true");
            reports.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Resume queue reports")).click();
            assertThat(reports.locator("td").nth(4)).hasText("Running");

            Locator tick = page.locator("#schedules-body tr[data-schedule=tick]");
            assertThat(tick.locator("td").first()).hasText("FREQ=MINUTELY;INTERVAL=30 · Europe/Berlin");
            tick.locator("summary").click();
            assertThat(tick.getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Next fire times of tick"))
                    .getByRole(AriaRole.LISTITEM)).hasCount(5);
            tick.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Run schedule tick now")).click();
            assertThat(page.getByText(Pattern.compile("Schedule tick started job \\d+"))).isVisible();
            assertThat(tick.locator("td").nth(3)).hasText(Pattern.compile("Job \\d+ · "));
            tick.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable schedule tick")).click();
            assertThat(tick.locator("td").nth(4)).hasText("Disabled");
            assertThat(call("GET", "/api/v1/schedules/tick", null, 200)).contains("\"enabled\":false");
            page.mouse().move(0, 0);
            new JobMonitorPage(page, stack.api().baseUrl()).screenshot("job-monitor-queues");
        } finally {
            for (long id : reportJobs) { // the other tests get the dispatcher's slots back
                call("POST", "/api/v1/jobs/" + id + "/cancel", null, 200);
            }
        }
    }

    /**
     * Issue 14's page: a running demo job's log follows it live in its detail (over the hub room
     * job:{id}, the log read over REST once), a bulk retry of selected failed jobs states its count
     * before it is done, and the search box finds jobs by their name and their error.
     */
    @Test
    void liveLogBulkRetryOfFailedJobsAndSearch() throws Exception {
        String tag = "Bulk" + System.nanoTime();
        List<Long> failing = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Matcher id = ID.matcher(call("POST", "/api/v1/jobs", """
                    {"name": "%s %d", "owner": "pat", "type": "fail", "maxAttempts": 1}""".formatted(tag, i), 201));
            assertThat(id.find()).isTrue();
            failing.add(Long.parseLong(id.group(1)));
        }
        try (BrowserContext context = chromium.newContext(1366, 900)) {
            // an operator may act on jobs in bulk (a viewer may not)
            context.setExtraHTTPHeaders(Map.of("X-Forwarded-User", "pat", "X-Forwarded-Groups", "jobflow-operator"));
            Page page = context.newPage();
            List<String> logReads = new java.util.concurrent.CopyOnWriteArrayList<>();
            page.onRequest(request -> {
                if (request.url().contains("/logs")) {
                    logReads.add(request.url());
                }
            });
            JobMonitorPage ui = new JobMonitorPage(page, stack.api().baseUrl()).open();

            // 1. the live log: lines appear one by one while the job runs, without reading the log again
            long running = submit("Followed live " + tag, "pat", 8);
            assertThat(ui.status(running)).hasText("Running");
            ui.row(running).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Details of job " + running
                    + " ")).click();
            Locator detail = page.locator("#job-detail");
            Locator lines = detail.locator("#detail-log li");
            assertThat(lines.first()).containsText("step ");
            int shown = lines.count();
            assertThat(lines).hasCount(shown + 2); // two more steps, live
            assertThat(detail.locator("[data-fact=status]")).hasText("Running");
            assertThat(logReads).as("log reads over REST while following").hasSize(1);
            assertThat(detail.locator("[data-fact=status]")).hasText("Completed",
                    new LocatorAssertions.HasTextOptions().setTimeout(30_000));
            assertThat(detail.locator("#detail-runs tr td").nth(4)).hasText("completed");
            assertThat(lines.last()).containsText("step ");
            ui.screenshot("04-live-log");
            detail.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();

            // 2. the failed-jobs view, three selected, one bulk retry after a confirmation with the count
            page.locator(".filters").getByText("Failed", new Locator.GetByTextOptions().setExact(true)).click();
            assertThat(page).hasURL(Pattern.compile("#failed$"));
            for (long id : failing) {
                assertThat(ui.status(id)).hasText("Failed");
                ui.row(id).getByLabel("Select job " + id + " ").check();
            }
            assertThat(page.locator("#bulk-count")).hasText("3 selected");
            page.locator("#bulk-bar").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retry")).click();
            Locator confirm = page.locator("#bulk-confirm");
            assertThat(confirm.locator("#bulk-title")).hasText("Retry 3 jobs?");
            assertThat(confirm.locator("#bulk-text")).hasText("Retry 3 of the 3 selected jobs.");
            ui.screenshot("05-bulk-confirm");
            confirm.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retry 3 jobs")).click();
            assertThat(page.getByText("3 jobs queued again")).isVisible();
            for (long id : failing) {
                // its second attempt has ended (a job is RUNNING with attempts 2 from its claim on)
                String job = waitFor(id, "\"attempts\":2", body -> !body.contains("\"status\":\"QUEUED\"")
                        && !body.contains("\"status\":\"RUNNING\""));
                assertThat(job).contains("\"status\":\"FAILED\"").contains("\"id\":" + id);
            }
            assertThat(call("GET", "/api/v1/audit?actor=pat&action=POST%20%2Fapi%2Fv1%2Fjobs%2Fbulk", null, 200))
                    .as("one audited action naming the jobs").contains("dryRun=false, count=3, ids=" + failing.reversed());

            // 3. search: by the name's tag, then by a word of the error, ignoring case
            page.locator(".filters").getByText("All", new Locator.GetByTextOptions().setExact(true)).click();
            page.getByLabel("Search jobs").fill(tag.toLowerCase(java.util.Locale.ROOT));
            assertThat(page.locator("#jobs-body tr")).hasCount(4);
            assertThat(page.locator("#jobs-summary")).containsText("matching");
            page.getByLabel("Search jobs").fill("FAILING ON PURPOSE (attempt 2)");
            assertThat(page.locator("#jobs-body tr")).hasCount(3);
            page.getByLabel("Search jobs").fill("");
            assertThat(ui.row(running)).isVisible();
            assertThat(ui.neverReloaded()).isTrue();
        }
    }

    /** The job once its JSON (without spaces) contains {@code text} and passes {@code also} (read with the service key). */
    private static String waitFor(long id, String text, java.util.function.Predicate<String> also) {
        return dev.jobflow.testing.Await.until("job " + id + " with " + text, Duration.ofSeconds(60), () -> {
            try {
                return call("GET", "/api/v1/jobs/" + id, null, 200);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, body -> body.replace(" ", "").contains(text) && also.test(body.replace(" ", "")));
    }

    /** A request with the service key; asserts the status, returns the body. */
    private static String call(String method, String path, String body, int status)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.api().baseUrl() + path))
                .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(10));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return response.body();
    }

    @Test
    void smallScreensGetCards() throws Exception {
        submit("Phone check", "dana", 30);
        submit("Erin's load", "erin", 30);
        try (BrowserContext context = chromium.newContext(390, 844)) {
            // dana, a viewer, on her phone: her own jobs
            context.setExtraHTTPHeaders(Map.of("X-Forwarded-User", "dana"));
            JobMonitorPage ui = new JobMonitorPage(context.newPage(), stack.api().baseUrl()).open();
            Locator row = ui.rowNamed("Phone check");
            assertThat(row).isVisible();
            assertThat(ui.page().locator("#caller")).hasText("Signed in as dana (viewer)");
            // the page shows only what its viewer may see: nothing of erin's
            assertThat(ui.rowNamed("Erin's load")).hasCount(0);
            // no horizontal scrolling: the page is exactly as wide as the screen
            assertThat((Integer) ui.page().evaluate("() => document.documentElement.scrollWidth"))
                    .as("page width; wider than the screen: %s", ui.page().evaluate(WIDER_THAN_THE_SCREEN))
                    .isLessThanOrEqualTo(390);
            assertThat(row.getByRole(AriaRole.PROGRESSBAR)).isVisible();
            ui.screenshot("job-monitor-mobile");
        }
    }

    private static long submit(String name, String owner, double seconds) throws IOException, InterruptedException {
        String body = """
                {"name": "%s", "owner": "%s", "type": "demo", "params": {"duration": %s, "step": %s}}"""
                .formatted(name, owner, seconds, Math.max(0.1, seconds / 10));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.api().baseUrl()
                + "/api/v1/jobs")).header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher id = ID.matcher(response.body());
        assertThat(id.find()).isTrue();
        submitted.add(Long.parseLong(id.group(1)));
        return Long.parseLong(id.group(1));
    }
}
