package dev.mcpconnector.jpa;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import dev.mcpconnector.authorization.PendingAuthorization;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.crypto.SecretCipher;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * {@link PendingAuthorizationStore} on JPA. The verifier is encrypted and bound to the state
 * hash, the owner and the connection; consuming deletes the row in the same transaction that
 * reads it, so only one of two concurrent callbacks gets it.
 */
class JpaPendingAuthorizationStore implements PendingAuthorizationStore {

	static final String CODE_VERIFIER = "mcp_pending_authorization.code_verifier";

	private final EntityManager entityManager;

	private final TransactionTemplate transactions;

	private final SecretCipher cipher;

	JpaPendingAuthorizationStore(EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager, SecretCipher cipher) {
		Assert.notNull(entityManagerFactory, "entityManagerFactory cannot be null");
		Assert.notNull(transactionManager, "transactionManager cannot be null");
		Assert.notNull(cipher, "cipher cannot be null");
		this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		this.transactions = new GuardedTransactionTemplate(transactionManager);
		this.cipher = cipher;
	}

	@Override
	public void save(PendingAuthorization pending) {
		Assert.notNull(pending, "pending cannot be null");
		this.transactions.executeWithoutResult((status) -> {
			PendingAuthorizationEntity entity = new PendingAuthorizationEntity();
			entity.stateHash = pending.stateHash();
			entity.tenantId = pending.owner().tenantId();
			entity.ownerId = pending.owner().principal();
			entity.connectionId = pending.connectionId();
			entity.codeVerifier = this.cipher.encrypt(pending.codeVerifier().getBytes(StandardCharsets.UTF_8),
					associatedData(pending.stateHash(), pending.owner(), pending.connectionId().toString()));
			entity.issuer = pending.issuer();
			entity.requestedScopes = Scopes.join(pending.requestedScopes());
			entity.redirectUri = pending.redirectUri();
			entity.returnTo = pending.returnTo();
			entity.createdAt = pending.createdAt();
			entity.expiresAt = pending.expiresAt();
			entity.nonceHash = pending.nonceHash();
			this.entityManager.persist(entity);
		});
	}

	@Override
	public Optional<PendingAuthorization> consume(String stateHash) {
		Assert.hasText(stateHash, "stateHash cannot be empty");
		PendingAuthorizationEntity entity = this.transactions.execute((status) -> {
			PendingAuthorizationEntity found = this.entityManager.find(PendingAuthorizationEntity.class, stateHash);
			if (found == null) {
				return null;
			}
			this.entityManager.detach(found);
			int deleted = this.entityManager
				.createQuery("delete from McpConnectorPendingAuthorization p where p.stateHash = :hash")
				.setParameter("hash", stateHash)
				.executeUpdate();
			return (deleted == 1) ? found : null;
		});
		if (entity == null) {
			return Optional.empty();
		}
		McpOwner owner = McpOwner.of(entity.tenantId, entity.ownerId);
		String verifier = new String(this.cipher.decrypt(entity.codeVerifier,
				associatedData(entity.stateHash, owner, entity.connectionId.toString())), StandardCharsets.UTF_8);
		return Optional.of(new PendingAuthorization(entity.stateHash, owner, entity.connectionId, verifier,
				entity.issuer, Scopes.split(entity.requestedScopes), entity.redirectUri, entity.returnTo,
				entity.createdAt, entity.expiresAt, entity.nonceHash));
	}

	@Override
	public int deleteExpired(Instant now) {
		Assert.notNull(now, "now cannot be null");
		Integer deleted = this.transactions.execute((status) -> this.entityManager
			.createQuery("delete from McpConnectorPendingAuthorization p where p.expiresAt < :now")
			.setParameter("now", now)
			.executeUpdate());
		return (deleted != null) ? deleted : 0;
	}

	private static byte[] associatedData(String stateHash, McpOwner owner, String connectionId) {
		return SecretCipher.associatedData(CODE_VERIFIER, stateHash, owner.tenantId(), owner.principal(), connectionId);
	}

}
