package dev.shoppulse.common.capability;

import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.topics.Topic;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One capability, defined once: its settings and topics (the public constants of {@code
 * declaredIn}, so a setting is added by declaring it, with no list to keep in step), its Flink
 * jobs, its API routes ({@code "METHOD /path"}) and the class of its local traffic.
 *
 * <p>Jobs, routes and local traffic live in modules that depend on this one, so they are named here
 * and resolved by their readers: the cluster catalogue and the local run load the classes, the API
 * refuses to start unless its routes are exactly the registry's, and tests check every name.
 */
public record CapabilityDefinition(
        String name,
        String summary,
        Class<?> declaredIn,
        List<JobDefinition> jobs,
        List<String> routes,
        String localTraffic) {

    public CapabilityDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(declaredIn, "declaredIn");
        Objects.requireNonNull(localTraffic, "localTraffic");
        jobs = List.copyOf(jobs);
        routes = List.copyOf(routes);
    }

    /**
     * The start of a definition: the capability's name and the class declaring its settings and
     * topics; the {@code with…} steps below add the rest.
     */
    public static CapabilityDefinition named(String name, Class<?> declaredIn) {
        return new CapabilityDefinition(name, "", declaredIn, List.of(), List.of(), "");
    }

    public CapabilityDefinition summary(String text) {
        return new CapabilityDefinition(name, text, declaredIn, jobs, routes, localTraffic);
    }

    /** Adds a job: its name, its entry class and every topic it reads or writes. */
    public CapabilityDefinition job(String jobName, String entryClass, Topic<?>... topics) {
        List<JobDefinition> more = new ArrayList<>(jobs);
        more.add(new JobDefinition(jobName, entryClass, List.of(topics)));
        return new CapabilityDefinition(name, summary, declaredIn, more, routes, localTraffic);
    }

    /** The API routes, each {@code "METHOD /path"} as the router registers it. */
    public CapabilityDefinition routes(String... declared) {
        return new CapabilityDefinition(
                name, summary, declaredIn, jobs, List.of(declared), localTraffic);
    }

    /** The launcher class that submits the jobs and generates traffic in a local run. */
    public CapabilityDefinition localTraffic(String className) {
        return new CapabilityDefinition(name, summary, declaredIn, jobs, routes, className);
    }

    /**
     * The capability's one job (a capability with none or several names them from {@link #jobs}).
     */
    public JobDefinition job() {
        if (jobs.size() != 1) {
            throw new IllegalStateException(name + " has " + jobs.size() + " jobs");
        }
        return jobs.get(0);
    }

    /** The capability's settings, in declaration order. */
    public List<Setting> settings() {
        return constants(declaredIn, Setting.class);
    }

    /** The topics the capability owns, in declaration order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<Topic<?>> topics() {
        return (List) constants(declaredIn, Topic.class);
    }

    /** The {@code public static final} fields of {@code owner} holding a {@code type}. */
    public static <T> List<T> constants(Class<?> owner, Class<T> type) {
        List<T> found = new ArrayList<>();
        // getFields keeps declaration order on every JVM ShopPulse supports; README's tables
        // follow it and a test compares them.
        for (Field f : owner.getFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && type.isAssignableFrom(f.getType())) {
                try {
                    found.add(type.cast(f.get(null)));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                }
            }
        }
        return found;
    }
}
