package dev.jobflow.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** The job-monitor page as a user sees it: by roles, labels and visible text. */
public final class JobMonitorPage {
    public static final Path SCREENSHOTS = Path.of("target/screenshots");

    private final Page page;
    private final String baseUrl;

    public JobMonitorPage(Page page, String baseUrl) {
        this.page = page;
        this.baseUrl = baseUrl;
    }

    public Page page() {
        return page;
    }

    /** Opens the page and waits until the table is loaded and the live feed was tried. */
    public JobMonitorPage open() {
        page.navigate(baseUrl + "/");
        assertThat(page.locator("body")).hasAttribute("data-ready", "true");
        // A marker that only survives if the page is never reloaded.
        page.evaluate("() => { window.__jobflowNoReload = true; }");
        return this;
    }

    public boolean neverReloaded() {
        return Boolean.TRUE.equals(page.evaluate("() => window.__jobflowNoReload === true"));
    }

    /**
     * Starts a job through the dialog with the keyboard only: opens it, checks the focus is in the
     * name field, fills the fields with Tab between them and submits with Enter. Returns the job's id.
     */
    public long startJob(String name, String type, String durationSeconds) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start job")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Start a job"));
        assertThat(dialog).isVisible();
        Locator nameField = dialog.getByLabel("Name");
        assertThat(nameField).isFocused();
        page.keyboard().type(name);
        page.keyboard().press("Tab");
        assertThat(dialog.getByLabel("Type")).isFocused();
        page.keyboard().press("ControlOrMeta+A");
        page.keyboard().type(type);
        dialog.getByLabel("Duration").fill(durationSeconds);
        dialog.getByLabel("Duration").press("Enter");
        assertThat(dialog).isHidden();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start job"))).isFocused();
        Locator row = rowNamed(name);
        assertThat(row).hasCount(1);
        return Long.parseLong(row.getAttribute("data-id"));
    }

    public Locator rowNamed(String name) {
        return page.locator("#jobs-body tr:not(.row-exit)")
                .filter(new Locator.FilterOptions().setHas(page.locator(".job-name").getByText(name,
                        new Locator.GetByTextOptions().setExact(true))));
    }

    public Locator row(long id) {
        return page.locator("#jobs-body tr[data-id=\"" + id + "\"]");
    }

    public Locator progressBar(long id) {
        return row(id).getByRole(AriaRole.PROGRESSBAR);
    }

    public Locator status(long id) {
        return row(id).locator(".badge");
    }

    public void cancel(long id) {
        row(id).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel job " + id + " "))
                .click();
    }

    public Locator liveStatus() {
        return page.locator("#live-status");
    }

    public Locator queueStat(String name) {
        return page.locator("#queue-stats [data-stat=\"" + name + "\"]");
    }

    /** Starts recording every value each progress bar shows (a MutationObserver in the page). */
    public void recordProgress() {
        page.evaluate("""
                () => {
                  window.__progress = {};
                  const record = (bar) => {
                    const id = bar.closest('tr').dataset.id;
                    const seen = (window.__progress[id] ||= []);
                    const value = Number(bar.getAttribute('aria-valuenow'));
                    if (seen[seen.length - 1] !== value) seen.push(value);
                  };
                  document.querySelectorAll('#jobs-body [role=progressbar]').forEach(record);
                  new MutationObserver((changes) => changes.forEach((c) => {
                    if (c.type === 'attributes' && c.target.getAttribute('role') === 'progressbar') record(c.target);
                    c.addedNodes?.forEach((n) => n.querySelectorAll?.('[role=progressbar]').forEach(record));
                  })).observe(document.getElementById('jobs-body'),
                    { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
                }""");
    }

    /** Every distinct value the job's bar showed since {@link #recordProgress()}, in order. */
    @SuppressWarnings("unchecked")
    public List<Integer> progressSeen(long id) {
        Map<String, List<Number>> all = (Map<String, List<Number>>) page.evaluate("() => window.__progress");
        return all.getOrDefault(String.valueOf(id), List.of()).stream().map(Number::intValue).toList();
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }
}
