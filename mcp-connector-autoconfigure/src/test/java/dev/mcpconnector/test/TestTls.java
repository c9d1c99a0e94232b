package dev.mcpconnector.test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for test servers on loopback, made with the JDK's own
 * {@code keytool}, and the matching server and client TLS contexts. Lets tests run peers over
 * HTTPS so that the production egress policy (https only, no loopback) applies unchanged, with
 * the peer's host explicitly allowlisted.
 */
public final class TestTls {

	private static final char[] PASSWORD = "changeit".toCharArray();

	private static TestTls instance;

	private final SSLContext server;

	private final SSLContext client;

	private TestTls(SSLContext server, SSLContext client) {
		this.server = server;
		this.client = client;
	}

	/** The certificate covers 127.0.0.2, 127.0.0.1, ::1 and localhost. */
	public static synchronized TestTls get() {
		if (instance == null) {
			instance = create();
		}
		return instance;
	}

	public SSLContext serverContext() {
		return this.server;
	}

	public SSLContext clientContext() {
		return this.client;
	}

	private static TestTls create() {
		try {
			Path dir = Files.createTempDirectory("mcp-test-tls");
			Path keystore = dir.resolve("peer.p12");
			String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
			Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "peer", "-keyalg", "EC", "-groupname",
					"secp256r1", "-dname", "CN=mcp-connector test peer", "-ext",
					"SAN=ip:127.0.0.2,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1,dns:localhost", "-validity", "2", "-storetype",
					"PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD), "-keypass",
					new String(PASSWORD))
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			if (process.waitFor() != 0) {
				throw new IllegalStateException("keytool failed: " + output);
			}
			KeyStore store = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(keystore)) {
				store.load(in, PASSWORD);
			}
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(store, PASSWORD);
			SSLContext server = SSLContext.getInstance("TLS");
			server.init(keys.getKeyManagers(), null, null);
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("peer", store.getCertificate("peer"));
			TrustManagerFactory trusts = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trusts.init(trust);
			SSLContext client = SSLContext.getInstance("TLS");
			client.init(null, trusts.getTrustManagers(), null);
			return new TestTls(server, client);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not create the test TLS material", ex);
		}
	}

}
