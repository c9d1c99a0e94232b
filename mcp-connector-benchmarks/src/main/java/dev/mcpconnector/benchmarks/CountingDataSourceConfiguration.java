package dev.mcpconnector.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wraps the application's {@link DataSource} in a proxy that counts connections taken and SQL
 * statements prepared or created on them (JDBC {@code prepareStatement}, {@code createStatement},
 * {@code prepareCall}) by the thread that makes the measured calls: the executor does its
 * database work on the caller's thread, while background jobs (the audit writer, retention) run
 * on their own and are not on a call's path.
 */
@Configuration(proxyBeanMethods = false)
public class CountingDataSourceConfiguration {

	static final AtomicLong CONNECTIONS = new AtomicLong();

	static final AtomicLong STATEMENTS = new AtomicLong();

	/** The thread whose database work is counted: the one that runs the measured calls. */
	static volatile Thread measured;

	/**
	 * Threads whose name starts with this are counted too, or {@code null}: the web server's
	 * request threads while the gateway is measured (the gateway runs calls on them).
	 */
	static volatile String measuredPrefix;

	private static final Set<String> STATEMENT_METHODS = Set.of("prepareStatement", "createStatement", "prepareCall");

	@Bean
	static BeanPostProcessor countingDataSourcePostProcessor() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (!(bean instanceof DataSource target)) {
					return bean;
				}
				return Proxy.newProxyInstance(CountingDataSourceConfiguration.class.getClassLoader(),
						new Class<?>[] { DataSource.class, java.io.Closeable.class }, (proxy, method, args) -> {
							if (method.getName().equals("close") && method.getParameterCount() == 0) {
								if (target instanceof java.io.Closeable closeable) {
									closeable.close();
								}
								return null;
							}
							Object result = invoke(method, target, args);
							if (method.getName().equals("getConnection") && result instanceof Connection connection
									&& isMeasured(Thread.currentThread())) {
								CONNECTIONS.incrementAndGet();
								return countingConnection(connection);
							}
							return result;
						});
			}
		};
	}

	private static boolean isMeasured(Thread thread) {
		String prefix = measuredPrefix;
		return thread == measured || (prefix != null && thread.getName().startsWith(prefix));
	}

	private static Connection countingConnection(Connection target) {
		return (Connection) Proxy.newProxyInstance(CountingDataSourceConfiguration.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					if (STATEMENT_METHODS.contains(method.getName())) {
						STATEMENTS.incrementAndGet();
					}
					if (method.getName().equals("unwrap") && args != null && args[0] == Connection.class) {
						return proxy;
					}
					return invoke(method, target, args);
				});
	}

	private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
