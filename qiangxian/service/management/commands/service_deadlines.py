"""Daily deadline pass over the open demands: reminders the day before, escalation once overdue."""

from django.core.management.base import BaseCommand

from qiangxian.service import services


class Command(BaseCommand):
    help = "诉求时限检查：到期前一天提醒牵头单位，超期后督办（通知牵头单位和办公室），每日运行一次。"

    def handle(self, *args, **options):
        result = services.demands_escalate()
        self.stdout.write(f"已提醒 {result['reminded']} 件，已督办 {result['escalated']} 件。")
