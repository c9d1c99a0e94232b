package dev.mcpconnector.jpa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import dev.mcpconnector.approval.Approval;
import dev.mcpconnector.approval.ApprovalStore;
import dev.mcpconnector.connection.McpOwner;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * {@link ApprovalStore} on JPA. Using up an approval is one conditional update, so two
 * instances can never both spend the same approval.
 */
class JpaApprovalStore implements ApprovalStore {

	private final EntityManager entityManager;

	private final TransactionTemplate transactions;

	JpaApprovalStore(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager) {
		Assert.notNull(entityManagerFactory, "entityManagerFactory cannot be null");
		this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		this.transactions = new GuardedTransactionTemplate(transactionManager);
	}

	@Override
	public Approval create(Approval approval) {
		return this.transactions.execute((status) -> {
			ApprovalEntity entity = new ApprovalEntity();
			entity.id = approval.id();
			entity.tenantId = approval.owner().tenantId();
			entity.ownerId = approval.owner().principal();
			entity.connectionId = approval.connectionId();
			entity.tool = approval.tool();
			entity.argumentsHash = approval.argumentsHash();
			entity.preview = approval.preview();
			entity.status = approval.status();
			entity.createdAt = approval.createdAt();
			entity.expiresAt = approval.expiresAt();
			this.entityManager.persist(entity);
			return approval;
		});
	}

	@Override
	public Optional<Approval> findPending(McpOwner owner, UUID connectionId, String tool, String argumentsHash,
			Instant now) {
		return this.transactions.execute((status) -> matching(owner, connectionId, tool, argumentsHash,
				Approval.Status.PENDING, now)
			.stream()
			.findFirst()
			.map(JpaApprovalStore::toApproval));
	}

	@Override
	public boolean consumeApproved(McpOwner owner, UUID connectionId, String tool, String argumentsHash, Instant now) {
		Boolean consumed = this.transactions.execute((status) -> {
			for (ApprovalEntity candidate : matching(owner, connectionId, tool, argumentsHash, Approval.Status.APPROVED,
					now)) {
				int updated = this.entityManager
					.createQuery("update McpConnectorApproval a set a.status = :consumed where a.id = :id"
							+ " and a.status = :approved")
					.setParameter("consumed", Approval.Status.CONSUMED)
					.setParameter("id", candidate.id)
					.setParameter("approved", Approval.Status.APPROVED)
					.executeUpdate();
				if (updated == 1) {
					return true;
				}
			}
			return false;
		});
		return Boolean.TRUE.equals(consumed);
	}

	private List<ApprovalEntity> matching(McpOwner owner, UUID connectionId, String tool, String argumentsHash,
			Approval.Status wanted, Instant now) {
		return this.entityManager
			.createQuery("select a from McpConnectorApproval a where a.tenantId = :tenant and a.ownerId = :owner"
					+ " and a.connectionId = :connection and a.tool = :tool and a.argumentsHash = :hash"
					+ " and a.status = :status and a.expiresAt > :now order by a.createdAt", ApprovalEntity.class)
			.setParameter("tenant", owner.tenantId())
			.setParameter("owner", owner.principal())
			.setParameter("connection", connectionId)
			.setParameter("tool", tool)
			.setParameter("hash", argumentsHash)
			.setParameter("status", wanted)
			.setParameter("now", now)
			.getResultList();
	}

	@Override
	public Optional<Approval> find(UUID id) {
		return this.transactions.execute((status) -> {
			ApprovalEntity entity = this.entityManager.find(ApprovalEntity.class, id);
			if (entity != null) {
				this.entityManager.detach(entity);
			}
			return Optional.ofNullable(entity).map(JpaApprovalStore::toApproval);
		});
	}

	@Override
	public List<Approval> listPending(String tenantId, String principal, Instant now) {
		return this.transactions.execute((status) -> this.entityManager
			.createQuery("select a from McpConnectorApproval a where a.tenantId = :tenant"
					+ " and (:owner is null or a.ownerId = :owner) and a.status = :pending and a.expiresAt > :now"
					+ " order by a.createdAt", ApprovalEntity.class)
			.setParameter("tenant", tenantId)
			.setParameter("owner", principal)
			.setParameter("pending", Approval.Status.PENDING)
			.setParameter("now", now)
			.getResultList()
			.stream()
			.map(JpaApprovalStore::toApproval)
			.toList());
	}

	@Override
	public boolean decide(UUID id, String tenantId, String principal, Approval.Status decision, String decidedBy,
			Instant now) {
		Integer updated = this.transactions.execute((status) -> this.entityManager
			.createQuery("update McpConnectorApproval a set a.status = :decision, a.decidedBy = :by, a.decidedAt = :now"
					+ " where a.id = :id and a.tenantId = :tenant and (:owner is null or a.ownerId = :owner)"
					+ " and a.status = :pending and a.expiresAt > :now")
			.setParameter("decision", decision)
			.setParameter("by", decidedBy)
			.setParameter("now", now)
			.setParameter("id", id)
			.setParameter("tenant", tenantId)
			.setParameter("owner", principal)
			.setParameter("pending", Approval.Status.PENDING)
			.executeUpdate());
		return updated != null && updated == 1;
	}

	@Override
	public int expire(Instant now) {
		Integer updated = this.transactions.execute((status) -> this.entityManager
			.createQuery("update McpConnectorApproval a set a.status = :expired where a.status = :pending"
					+ " and a.expiresAt <= :now")
			.setParameter("expired", Approval.Status.EXPIRED)
			.setParameter("pending", Approval.Status.PENDING)
			.setParameter("now", now)
			.executeUpdate());
		return (updated != null) ? updated : 0;
	}

	private static Approval toApproval(ApprovalEntity e) {
		return new Approval(e.id, McpOwner.of(e.tenantId, e.ownerId), e.connectionId, e.tool, e.argumentsHash, e.preview,
				e.status, e.createdAt, e.expiresAt, e.decidedBy, e.decidedAt);
	}

}
