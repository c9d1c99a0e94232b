package dev.mcpconnector.scheduling;

import java.time.Instant;
import java.util.function.ToLongFunction;

import org.springframework.util.Assert;

/**
 * One clean-up that the {@linkplain McpConnectorJobs#retention retention job} runs on its
 * schedule, for example the expired approvals of another module; every bean of this type is
 * one. Must be safe to run on several instances at once.
 */
public interface RetentionTask {

	/**
	 * A short name for logs and results, such as {@code approvals}.
	 * @return the name
	 */
	String name();

	/**
	 * Delete what is expired at {@code now}.
	 * @param now the job's current time
	 * @return how many rows were deleted
	 */
	long purge(Instant now);

	/**
	 * A task from a name and a function.
	 * @param name the task's name
	 * @param purge deletes what is expired at the given time and returns how many
	 * @return the task
	 */
	static RetentionTask of(String name, ToLongFunction<Instant> purge) {
		Assert.hasText(name, "name cannot be empty");
		Assert.notNull(purge, "purge cannot be null");
		return new RetentionTask() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public long purge(Instant now) {
				return purge.applyAsLong(now);
			}

		};
	}

}
