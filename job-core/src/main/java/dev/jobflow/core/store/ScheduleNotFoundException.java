package dev.jobflow.core.store;

/** No schedule of that name. */
public class ScheduleNotFoundException extends JobflowException {
    private final String schedule;

    public ScheduleNotFoundException(String schedule) {
        super("schedule '" + schedule + "' does not exist");
        this.schedule = schedule;
    }

    public String schedule() {
        return schedule;
    }
}
