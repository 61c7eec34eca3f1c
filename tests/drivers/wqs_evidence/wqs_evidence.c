// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_evidence - the false positives of wq-free-before-cancel that the
 * 772-file corpus of issue 10 showed (docs/evaluation.md, FP-A to FP-E),
 * each next to the real bug it resembles.  The negatives are reported only
 * at --level=possible (each says why in its last note); the positives are
 * reported by default, with the evidence in their notes.
 *
 *  A. A helper that queues the work item only on its success path, and a
 *     caller that frees the object when the helper fails
 *     (drivers/firewire/core-cdev.c:1414, drivers/nvme/target/tcp.c:1756).
 *  B. A synchronous request: queue, wait for the completion the handler
 *     completes, free (drivers/crypto/qat/qat_common/adf_aer.c:146,
 *     drivers/crypto/chelsio/chcr_core.c:295).
 *  C. A queue that hands the work a reference, which the handler drops;
 *     the destroyer waits for the last reference in another file
 *     (drivers/misc/vmw_vmci/vmci_doorbell.c:564).
 *  D. A free in block_device_operations.free_disk, the release of the
 *     gendisk, whose last put is the work handler's (drivers/block/nbd.c:1641).
 *  E. A self-owning state machine: a step queues the next one only when
 *     the request is not done, and the request is freed when it is
 *     (drivers/block/rbd.c:1637).
 *  F. remove() cancels a work item that a devm-requested IRQ queues: the
 *     IRQ stays live until devres frees it after remove() returns, then
 *     devres frees the data (the real bug of drivers/hid/hid-bigbenff.c,
 *     fixed upstream by 76ca8da989c7, and of bq24190_charger.c), next to
 *     the two protocols that make it correct: a flag every queuer tests,
 *     set before the cancel, and an IRQ disabled before the cancel.
 *  G. remove() cancels a work item that a power-supply callback queues, and
 *     unregisters the power supply only after the cancel: its callback can
 *     queue the work again before devres frees the data (the bug of
 *     bq24190_charger.c's remove() in 6.1), next to the correct order.
 *  H. A free only where cancel_delayed_work() returned true (6.1 mlx4
 *     mcg.c release_group()): correct.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/power_supply.h>
#include <linux/refcount.h>
#include <linux/version.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "wqs_evidence.h"

/* ---------------------------------------------------------------------
 * A. The helper's return value says whether it queued.
 */
struct ev_client {
	spinlock_t lock;
	bool in_shutdown;
	int next_handle;
};

struct ev_res {
	struct delayed_work work;
	struct ev_client *client;
	int handle;
};

static void ev_res_work(struct work_struct *work)
{
	struct ev_res *r = container_of(to_delayed_work(work), struct ev_res,
					work);

	r->handle++;
}

/* Queues r->work only when it succeeds (returns 0). */
static int ev_add_resource(struct ev_client *c, struct ev_res *r)
{
	int ret;

	spin_lock(&c->lock);
	if (c->in_shutdown) {
		ret = -ECANCELED;
	} else {
		ret = c->next_handle++;
		r->handle = ret;
		queue_delayed_work(system_wq, &r->work, 0);
	}
	spin_unlock(&c->lock);
	return ret < 0 ? ret : 0;
}

int ev_alloc_resource(struct ev_client *c)
{
	struct ev_res *r = kzalloc(sizeof(*r), GFP_KERNEL);
	int ret;

	if (!r)
		return -ENOMEM;
	INIT_DELAYED_WORK(&r->work, ev_res_work);
	r->client = c;
	ret = ev_add_resource(c, r); /* possible-note {{'r->work' is queued here}} */
	if (ret < 0)
		goto fail;
	return 0;
fail:
	/* possible-warning-re@+2 {{'kfree' frees 'r' while its work item 'r->work' (handler 'ev_res_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	/* possible-note@+1 {{reported at --level=possible only: 'ev_add_resource' queues it on some of its paths only; wqcheck cannot tell whether it did on this one}} */
	kfree(r);
	return ret;
}
EXPORT_SYMBOL_GPL(ev_alloc_resource);

/* The real bug it resembles: a helper that always queues, then a failure. */
static void ev_kick_resource(struct ev_res *r)
{
	queue_delayed_work(system_wq, &r->work, 0);
}

int ev_alloc_kicked_resource(struct ev_client *c)
{
	struct ev_res *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	INIT_DELAYED_WORK(&r->work, ev_res_work);
	r->client = c;
	ev_kick_resource(r); /* expected-note {{'r->work' is queued here}} */
	if (c->in_shutdown) {
		/* BUG(wq-free-before-cancel): the work was queued before the failure */
		/* expected-warning-re@+1 {{'kfree' frees 'r' while its work item 'r->work' (handler 'ev_res_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: queued through a helper */
		kfree(r);
		return -ECANCELED;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ev_alloc_kicked_resource);

/* ---------------------------------------------------------------------
 * B. A completion hand-shake: the handler's last action is complete().
 */
struct ev_req {
	struct work_struct work;
	struct completion done;
	int result;
};

static void ev_req_work(struct work_struct *work)
{
	struct ev_req *rq = container_of(work, struct ev_req, work);

	rq->result = 1;
	complete(&rq->done);
}

int ev_sync_request(void)
{
	struct ev_req *rq = kzalloc(sizeof(*rq), GFP_KERNEL);
	int ret;

	if (!rq)
		return -ENOMEM;
	init_completion(&rq->done);
	INIT_WORK(&rq->work, ev_req_work);
	queue_work(system_wq, &rq->work);
	if (!wait_for_completion_timeout(&rq->done, HZ))
		cancel_work_sync(&rq->work);
	ret = rq->result;
	kfree(rq);
	return ret;
}
EXPORT_SYMBOL_GPL(ev_sync_request);

/*
 * The real bug it resembles: the wait is for a completion that the
 * interrupt handler completes, not the work: the handler may still run.
 */
struct ev_cmd {
	struct work_struct work;
	struct completion acked;
	int status;
};

struct ev_ctrl {
	struct ev_cmd *cur;
	int irq;
};

static void ev_cmd_work(struct work_struct *work)
{
	struct ev_cmd *cmd = container_of(work, struct ev_cmd, work);

	cmd->status++;
}

static irqreturn_t ev_ctrl_irq(int irq, void *data)
{
	struct ev_ctrl *ctrl = data;

	if (ctrl->cur)
		complete(&ctrl->cur->acked);
	return IRQ_HANDLED;
}

int ev_send_command(struct ev_ctrl *ctrl)
{
	struct ev_cmd *cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	int ret;

	if (!cmd)
		return -ENOMEM;
	ret = request_irq(ctrl->irq, ev_ctrl_irq, 0, "wqs_evidence", ctrl);
	if (ret) {
		kfree(cmd);
		return ret;
	}
	init_completion(&cmd->acked);
	INIT_WORK(&cmd->work, ev_cmd_work);
	ctrl->cur = cmd;
	queue_work(system_wq, &cmd->work); /* expected-note {{'cmd->work' is queued here}} */
	wait_for_completion_timeout(&cmd->acked, HZ);
	ctrl->cur = NULL;
	free_irq(ctrl->irq, ctrl);
	/* BUG(wq-free-before-cancel): the IRQ acked the command; its work may still run */
	/* expected-warning-re@+1 {{'kfree' frees 'cmd' while its work item 'cmd->work' (handler 'ev_cmd_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: any wait_for_completion counts as a stop: the script cannot tell whose completion it is */
	kfree(cmd);
	return 0;
}
EXPORT_SYMBOL_GPL(ev_send_command);

/* ---------------------------------------------------------------------
 * C. The work holds a reference of the resource table (wqs_evidence_res.c).
 */
struct ev_bell {
	struct ev_resource res;
	struct work_struct work;
	void (*notify)(void *data);
	void *data;
};

static void ev_bell_dispatch(struct work_struct *work)
{
	struct ev_bell *bell = container_of(work, struct ev_bell, work);

	bell->notify(bell->data);
	ev_resource_put(&bell->res);
}

void ev_bell_ring(struct ev_bell *bell)
{
	ev_resource_get(&bell->res);
	if (!schedule_work(&bell->work)) /* possible-note {{'bell->work' is queued here}} */
		ev_resource_put(&bell->res);
}
EXPORT_SYMBOL_GPL(ev_bell_ring);

struct ev_bell *ev_bell_create(void (*notify)(void *data), void *data)
{
	struct ev_bell *bell = kzalloc(sizeof(*bell), GFP_KERNEL);

	if (!bell)
		return NULL;
	ev_resource_init(&bell->res);
	INIT_WORK(&bell->work, ev_bell_dispatch);
	bell->notify = notify;
	bell->data = data;
	return bell;
}
EXPORT_SYMBOL_GPL(ev_bell_create);

void ev_bell_destroy(struct ev_bell *bell)
{
	ev_resource_remove_and_wait(&bell->res);
	/* possible-warning-re@+2 {{'kfree' frees 'bell' while its work item 'bell->work' (handler 'ev_bell_dispatch') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	/* possible-note@+1 {{reported at --level=possible only: its queue hands the work a reference}} */
	kfree(bell);
}
EXPORT_SYMBOL_GPL(ev_bell_destroy);

/*
 * The real bug it resembles: the same table, but the work takes no
 * reference, and nothing waits for it before the free.
 */
struct ev_chime {
	struct ev_resource res;
	struct work_struct work;
	int rings;
};

static void ev_chime_dispatch(struct work_struct *work)
{
	struct ev_chime *chime = container_of(work, struct ev_chime, work);

	chime->rings++;
}

void ev_chime_ring(struct ev_chime *chime)
{
	schedule_work(&chime->work); /* expected-note {{'chime->work' is queued here, and nothing in this file waits for it before the free}} */
}
EXPORT_SYMBOL_GPL(ev_chime_ring);

struct ev_chime *ev_chime_create(void)
{
	struct ev_chime *chime = kzalloc(sizeof(*chime), GFP_KERNEL);

	if (!chime)
		return NULL;
	ev_resource_init(&chime->res);
	INIT_WORK(&chime->work, ev_chime_dispatch);
	return chime;
}
EXPORT_SYMBOL_GPL(ev_chime_create);

void ev_chime_destroy(struct ev_chime *chime)
{
	ev_resource_remove_and_wait(&chime->res);
	/* BUG(wq-free-before-cancel): the work holds no reference; nothing waits for it */
	/* expected-warning-re@+1 {{'kfree' frees 'chime' while its work item 'chime->work' (handler 'ev_chime_dispatch') may still be queued or running{{.*}}nothing in this file waits for it{{.*}}[wq-free-before-cancel]}} cocci-misses: queued in another function */
	kfree(chime);
}
EXPORT_SYMBOL_GPL(ev_chime_destroy);

/* ---------------------------------------------------------------------
 * D. block_device_operations.free_disk: the gendisk's release.
 */
struct ev_blk {
	struct gendisk *disk;
	refcount_t refs;
	struct work_struct remove_work;
};

static void ev_blk_remove_work(struct work_struct *work)
{
	struct ev_blk *b = container_of(work, struct ev_blk, remove_work);

	del_gendisk(b->disk);
	put_disk(b->disk);
}

void ev_blk_put(struct ev_blk *b)
{
	if (refcount_dec_and_test(&b->refs))
		schedule_work(&b->remove_work); /* possible-note {{'b->remove_work' is queued here}} */
}
EXPORT_SYMBOL_GPL(ev_blk_put);

static void ev_blk_free_disk(struct gendisk *disk)
{
	struct ev_blk *b = disk->private_data;

	/* possible-warning-re@+2 {{'kfree' frees 'b' while its work item 'b->remove_work' (handler 'ev_blk_remove_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	/* possible-note@+1 {{reported at --level=possible only: its handler 'ev_blk_remove_work' drops a reference}} */
	kfree(b);
}

static const struct block_device_operations ev_blk_fops = {
	.owner = THIS_MODULE,
	.free_disk = ev_blk_free_disk,
};

/*
 * The real bug it resembles: a release that stops a poll work item
 * without waiting for it.
 */
struct ev_blk2 {
	struct gendisk *disk;
	struct work_struct poll_work;
	int polls;
};

static void ev_blk2_poll(struct work_struct *work)
{
	struct ev_blk2 *b = container_of(work, struct ev_blk2, poll_work);

	b->polls++;
}

void ev_blk2_kick(struct ev_blk2 *b)
{
	schedule_work(&b->poll_work); /* expected-note {{'b->poll_work' is queued here}} */
}
EXPORT_SYMBOL_GPL(ev_blk2_kick);

static void ev_blk2_free_disk(struct gendisk *disk)
{
	struct ev_blk2 *b = disk->private_data;

	cancel_work(&b->poll_work); /* expected-note {{cancelled here without waiting}} */
	/* BUG(wq-free-before-cancel): cancel_work() does not wait for a running handler */
	/* expected-warning-re@+1 {{'kfree' frees 'b' while its work item 'b->poll_work' (handler 'ev_blk2_poll') may still be queued or running{{.*}}the cancel without _sync does not wait{{.*}}[wq-free-before-cancel]}} */
	kfree(b);
}

/*
 * H. A free only on the edge where the non-waiting cancel returned true:
 * the item was pending and is removed, and its handler does not re-arm
 * itself (6.1 kernel/workqueue.c cancel_delayed_work(): "may still be
 * running on return, unless it returns %true and the work doesn't re-arm
 * itself"; 6.1 drivers/infiniband/hw/mlx4/mcg.c release_group(), the
 * whole-tree run).  Correct; the bug beside it is ev_blk2_free_disk().
 */
struct ev_grp {
	struct delayed_work timeout_work;
	int timeouts;
};

static void ev_grp_timeout(struct work_struct *work)
{
	struct ev_grp *g = container_of(work, struct ev_grp, timeout_work.work);

	g->timeouts++;
}

void ev_grp_arm(struct ev_grp *g)
{
	INIT_DELAYED_WORK(&g->timeout_work, ev_grp_timeout);
	schedule_delayed_work(&g->timeout_work, HZ);
}
EXPORT_SYMBOL_GPL(ev_grp_arm);

int ev_grp_release(struct ev_grp *g)
{
	if (!cancel_delayed_work(&g->timeout_work))
		return 0;	/* the handler runs, or ran: it owns the release */
	kfree(g);
	return 1;
}
EXPORT_SYMBOL_GPL(ev_grp_release);

static const struct block_device_operations ev_blk2_fops = {
	.owner = THIS_MODULE,
	.free_disk = ev_blk2_free_disk,
};

void ev_blk_attach(struct ev_blk *b, struct ev_blk2 *b2, struct gendisk *disk,
		   struct gendisk *disk2)
{
	b->disk = disk;
	refcount_set(&b->refs, 1);
	INIT_WORK(&b->remove_work, ev_blk_remove_work);
	disk->private_data = b;
	disk->fops = &ev_blk_fops;
	b2->disk = disk2;
	INIT_WORK(&b2->poll_work, ev_blk2_poll);
	disk2->private_data = b2;
	disk2->fops = &ev_blk2_fops;
}
EXPORT_SYMBOL_GPL(ev_blk_attach);

/* ---------------------------------------------------------------------
 * E. A request that queues its next step only while it is not done.
 */
struct ev_sm {
	struct work_struct work;
	int state;
};

/* Returns true when the request is done; otherwise queues the next step. */
static bool ev_sm_advance(struct ev_sm *sm)
{
	if (sm->state < 3) {
		sm->state++;
		queue_work(system_wq, &sm->work);
		return false;
	}
	return true;
}

static void ev_sm_handle(struct ev_sm *sm)
{
	if (!ev_sm_advance(sm)) /* possible-note {{'sm->work' is queued here}} */
		return;
	/* possible-warning-re@+2 {{'kfree' frees 'sm' while its work item 'sm->work' (handler 'ev_sm_step') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	/* possible-note@+1 {{reported at --level=possible only: its handler 'ev_sm_step' frees the object itself}} */
	kfree(sm);
}

static void ev_sm_step(struct work_struct *work)
{
	ev_sm_handle(container_of(work, struct ev_sm, work));
}

int ev_sm_start(void)
{
	struct ev_sm *sm = kzalloc(sizeof(*sm), GFP_KERNEL);

	if (!sm)
		return -ENOMEM;
	INIT_WORK(&sm->work, ev_sm_step);
	ev_sm_handle(sm);
	return 0;
}
EXPORT_SYMBOL_GPL(ev_sm_start);

/*
 * The real bug it resembles: a step that always queues the next one, and
 * then frees the request when it reached the last state.
 */
struct ev_sm2 {
	struct work_struct work;
	int state;
};

static void ev_sm2_queue_next(struct ev_sm2 *sm)
{
	sm->state++;
	queue_work(system_wq, &sm->work);
}

static void ev_sm2_step(struct work_struct *work)
{
	struct ev_sm2 *sm = container_of(work, struct ev_sm2, work);

	ev_sm2_queue_next(sm); /* expected-note {{'sm->work' is queued here}} */
	if (sm->state > 3)
		/* BUG(wq-free-before-cancel): the next step was queued just before */
		/* expected-warning-re@+1 {{'kfree' frees 'sm' while its work item 'sm->work' (handler 'ev_sm2_step') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: queued through a helper */
		kfree(sm);
}

/*
 * Correct: the handler re-queues itself, then takes the pending instance
 * back with cancel_delayed_work() before freeing (drivers/firewire/
 * core-cdev.c:1346 iso_resource_work()).  A work item never runs twice at
 * once, so in its own handler the cancel without _sync is enough (the
 * _sync one would wait for itself).
 */
struct ev_iso {
	struct delayed_work work;
	bool retry, release;
};

static void ev_iso_work(struct work_struct *work)
{
	struct ev_iso *r = container_of(to_delayed_work(work), struct ev_iso,
					work);

	if (r->retry)
		schedule_delayed_work(&r->work, HZ);
	if (r->release) {
		cancel_delayed_work(&r->work);
		kfree(r);
	}
}

int ev_iso_start(void)
{
	struct ev_iso *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	INIT_DELAYED_WORK(&r->work, ev_iso_work);
	schedule_delayed_work(&r->work, 0);
	return 0;
}
EXPORT_SYMBOL_GPL(ev_iso_start);

int ev_sm2_start(void)
{
	struct ev_sm2 *sm = kzalloc(sizeof(*sm), GFP_KERNEL);

	if (!sm)
		return -ENOMEM;
	INIT_WORK(&sm->work, ev_sm2_step);
	queue_work(system_wq, &sm->work);
	return 0;
}
EXPORT_SYMBOL_GPL(ev_sm2_start);

/* ---------------------------------------------------------------------
 * F. A work item queued by a devm-requested IRQ, cancelled in remove().
 */
struct ev_sensor {
	spinlock_t lock;
	bool removed;
	int irq;
	int samples;
	struct work_struct read_work;
};

static void ev_sensor_read(struct work_struct *work)
{
	struct ev_sensor *s = container_of(work, struct ev_sensor, read_work);

	s->samples++;
}

static irqreturn_t ev_sensor_irq(int irq, void *data)
{
	struct ev_sensor *s = data;

	schedule_work(&s->read_work); /* expected-note {{'struct ev_sensor.read_work' can be queued again here, with no test of a flag that ev_sensor_remove() sets}} */
	return IRQ_HANDLED;
}

static int ev_sensor_probe(struct platform_device *pdev)
{
	struct ev_sensor *s = devm_kzalloc(&pdev->dev, sizeof(*s), GFP_KERNEL); /* expected-note {{the driver data is allocated with 'devm_kzalloc' in 'ev_sensor_probe' here}} */
	int irq = platform_get_irq(pdev, 0);

	if (!s)
		return -ENOMEM;
	if (irq < 0)
		return irq;
	s->irq = irq;
	INIT_WORK(&s->read_work, ev_sensor_read);
	platform_set_drvdata(pdev, s);
	return devm_request_irq(&pdev->dev, irq, ev_sensor_irq, 0, "ev-sensor", s); /* expected-note {{'ev_sensor_irq' is registered here; devres releases it only after remove() returns}} */
}

/* BUG(wq-free-before-cancel): the devm IRQ can queue read_work again after the cancel */
/* expected-warning-re@+1 {{'ev_sensor_remove' stops work item 'struct ev_sensor.read_work' (handler 'ev_sensor_read'), but 'ev_sensor_irq', registered with 'devm_request_irq', stays live until devres releases it after remove() returns and can queue it again{{.*}}[wq-free-before-cancel]}} cocci-misses: the re-queue source is registered in probe() */
static void ev_sensor_remove(struct platform_device *pdev)
{
	struct ev_sensor *s = platform_get_drvdata(pdev);

	cancel_work_sync(&s->read_work);
}

/* Correct: every queuer tests a flag that remove() sets before it cancels. */
static irqreturn_t ev_sensor2_irq(int irq, void *data)
{
	struct ev_sensor *s = data;

	spin_lock(&s->lock);
	if (!s->removed)
		schedule_work(&s->read_work);
	spin_unlock(&s->lock);
	return IRQ_HANDLED;
}

static int ev_sensor2_probe(struct platform_device *pdev)
{
	struct ev_sensor *s = devm_kzalloc(&pdev->dev, sizeof(*s), GFP_KERNEL);
	int irq = platform_get_irq(pdev, 0);

	if (!s)
		return -ENOMEM;
	if (irq < 0)
		return irq;
	spin_lock_init(&s->lock);
	s->irq = irq;
	INIT_WORK(&s->read_work, ev_sensor_read);
	platform_set_drvdata(pdev, s);
	return devm_request_irq(&pdev->dev, irq, ev_sensor2_irq, 0, "ev-sensor2", s);
}

static void ev_sensor2_remove(struct platform_device *pdev)
{
	struct ev_sensor *s = platform_get_drvdata(pdev);

	spin_lock_irq(&s->lock);
	s->removed = true;
	spin_unlock_irq(&s->lock);
	cancel_work_sync(&s->read_work);
}

/* Correct: the IRQ is disabled (and a running handler waited for) first. */
static int ev_sensor3_probe(struct platform_device *pdev)
{
	struct ev_sensor *s = devm_kzalloc(&pdev->dev, sizeof(*s), GFP_KERNEL);
	int irq = platform_get_irq(pdev, 0);

	if (!s)
		return -ENOMEM;
	if (irq < 0)
		return irq;
	s->irq = irq;
	INIT_WORK(&s->read_work, ev_sensor_read);
	platform_set_drvdata(pdev, s);
	return devm_request_irq(&pdev->dev, irq, ev_sensor_irq, 0, "ev-sensor3", s);
}

static void ev_sensor3_remove(struct platform_device *pdev)
{
	struct ev_sensor *s = platform_get_drvdata(pdev);

	disable_irq(s->irq);
	cancel_work_sync(&s->read_work);
}

/* ---------------------------------------------------------------------
 * G. A work item queued by a power-supply callback, cancelled in remove().
 */
struct ev_chg {
	struct power_supply *psy;
	int limit;
	struct delayed_work limit_work;
};

static void ev_chg_limit(struct work_struct *work)
{
	struct ev_chg *c = container_of(to_delayed_work(work), struct ev_chg,
					limit_work);

	c->limit++;
}

static void ev_chg_external_power_changed(struct power_supply *psy)
{
	struct ev_chg *c = power_supply_get_drvdata(psy);

	queue_delayed_work(system_wq, &c->limit_work, msecs_to_jiffies(300));
}

static enum power_supply_property ev_chg_props[] = {
	POWER_SUPPLY_PROP_ONLINE,
};

static int ev_chg_get_property(struct power_supply *psy,
			       enum power_supply_property psp,
			       union power_supply_propval *val)
{
	val->intval = 1;
	return 0;
}

static const struct power_supply_desc ev_chg_desc = {
	.name = "wqs-ev-charger",
	.type = POWER_SUPPLY_TYPE_USB,
	.properties = ev_chg_props,
	.num_properties = ARRAY_SIZE(ev_chg_props),
	.get_property = ev_chg_get_property,
	.external_power_changed = ev_chg_external_power_changed,
};

static int ev_chg_probe(struct platform_device *pdev)
{
	struct ev_chg *c = devm_kzalloc(&pdev->dev, sizeof(*c), GFP_KERNEL); /* expected-note {{the driver data is allocated with 'devm_kzalloc' in 'ev_chg_probe' here}} */
	struct power_supply_config cfg = {};

	if (!c)
		return -ENOMEM;
	INIT_DELAYED_WORK(&c->limit_work, ev_chg_limit);
	cfg.drv_data = c;
	c->psy = power_supply_register(&pdev->dev, &ev_chg_desc, &cfg);
	if (IS_ERR(c->psy))
		return PTR_ERR(c->psy);
	platform_set_drvdata(pdev, c);
	return 0;
}

/* BUG(wq-free-before-cancel): the power supply can queue limit_work again after the cancel */
/* expected-warning-re@+1 {{'ev_chg_remove' stops work item 'struct ev_chg.limit_work' (handler 'ev_chg_limit') before what re-queues it, and devres frees the driver data holding it right after remove() returns (use after free); stop the source first, then call cancel_delayed_work_sync() on it{{.*}}[wq-free-before-cancel]}} cocci-misses: the re-queue source is an ops-table callback */
static void ev_chg_remove(struct platform_device *pdev)
{
	struct ev_chg *c = platform_get_drvdata(pdev);

	cancel_delayed_work_sync(&c->limit_work);
	power_supply_unregister(c->psy); /* expected-note {{what re-queues 'struct ev_chg.limit_work' is stopped only here, after the work item was stopped}} */
}

/* Correct: the power supply is unregistered first, then the work cancelled. */
static void ev_chg2_remove(struct platform_device *pdev)
{
	struct ev_chg *c = platform_get_drvdata(pdev);

	power_supply_unregister(c->psy);
	cancel_delayed_work_sync(&c->limit_work);
}

/* remove() returns void: .remove since 6.11, .remove_new before (6.1's .remove returns int). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define EV_REMOVE remove
#else
#define EV_REMOVE remove_new
#endif

#define EV_DRIVER(_var, _name, _probe, _remove)			\
	static struct platform_driver _var = {			\
		.probe = _probe,				\
		.EV_REMOVE = _remove,				\
		.driver = { .name = "wqs-ev-" _name },		\
	}

EV_DRIVER(ev_sensor_driver, "sensor", ev_sensor_probe, ev_sensor_remove);
EV_DRIVER(ev_sensor2_driver, "sensor2", ev_sensor2_probe, ev_sensor2_remove);
EV_DRIVER(ev_sensor3_driver, "sensor3", ev_sensor3_probe, ev_sensor3_remove);
EV_DRIVER(ev_chg_driver, "charger", ev_chg_probe, ev_chg_remove);
EV_DRIVER(ev_chg2_driver, "charger2", ev_chg_probe, ev_chg2_remove);

static struct platform_driver *const ev_drivers[] = {
	&ev_sensor_driver, &ev_sensor2_driver, &ev_sensor3_driver,
	&ev_chg_driver, &ev_chg2_driver,
};

static int __init wqs_evidence_init(void)
{
	return platform_register_drivers(ev_drivers, ARRAY_SIZE(ev_drivers));
}

static void __exit wqs_evidence_exit(void)
{
	platform_unregister_drivers(ev_drivers, ARRAY_SIZE(ev_drivers));
}

module_init(wqs_evidence_init);
module_exit(wqs_evidence_exit);

MODULE_DESCRIPTION("wqcheck sample: evidence for wq-free-before-cancel");
MODULE_LICENSE("GPL");
