-- CreateEnum
CREATE TYPE "ContactActivityKind" AS ENUM ('permission_requested', 'permission_request_failed', 'permission_granted', 'permission_denied', 'missed_call_text');

-- CreateEnum
CREATE TYPE "CallbackStatus" AS ENUM ('open', 'done', 'cancelled');

-- AlterTable
ALTER TABLE "whatsapp_accounts" ADD COLUMN     "missed_call_text" TEXT;

-- AlterTable
ALTER TABLE "calls" ADD COLUMN     "callback_task_id" TEXT;

-- CreateTable
CREATE TABLE "contact_activities" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "kind" "ContactActivityKind" NOT NULL,
    "user_id" TEXT,
    "detail" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_activities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "callback_tasks" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "missed_call_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "CallbackStatus" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_at" TIMESTAMP(3),

    CONSTRAINT "callback_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "contact_activities_contact_id_at_idx" ON "contact_activities"("contact_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "callback_tasks_missed_call_id_key" ON "callback_tasks"("missed_call_id");

-- CreateIndex
CREATE INDEX "callback_tasks_org_id_status_created_at_idx" ON "callback_tasks"("org_id", "status", "created_at");

-- AddForeignKey
ALTER TABLE "calls" ADD CONSTRAINT "calls_callback_task_id_fkey" FOREIGN KEY ("callback_task_id") REFERENCES "callback_tasks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_activities" ADD CONSTRAINT "contact_activities_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_activities" ADD CONSTRAINT "contact_activities_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "whatsapp_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "callback_tasks" ADD CONSTRAINT "callback_tasks_missed_call_id_fkey" FOREIGN KEY ("missed_call_id") REFERENCES "calls"("id") ON DELETE CASCADE ON UPDATE CASCADE;
