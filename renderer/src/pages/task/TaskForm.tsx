import { Alert, Col, DatePicker, Form, Input, Row, Select, Slider, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Task, TaskInput } from '../../../../main/core/contract/records';
import { PRIORITY_LABEL, RECURRENCE_LABEL, options } from '../../labels';

export interface TaskFormValues {
  code?: string;
  title: string;
  description?: string;
  standard?: string;
  leadDeptId?: string | null;
  coopDeptIds?: string[];
  indicatorIds?: string[];
  dueDate?: Dayjs | null;
  priority: Task['priority'];
  recurrence: Task['recurrence'];
  recurStart?: Dayjs | null;
  recurEnd?: Dayjs | null;
  progress: number;
}

type Option = { value: string; label: string; disabled?: boolean };

const date = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

export function valuesOf(t: Task): TaskFormValues {
  return {
    code: t.code,
    title: t.title,
    description: t.description ?? undefined,
    standard: t.standard ?? undefined,
    leadDeptId: t.leadDeptId,
    coopDeptIds: t.coopDeptIds,
    indicatorIds: t.indicatorIds,
    dueDate: t.dueDate ? dayjs(t.dueDate) : null,
    priority: t.priority,
    recurrence: t.recurrence,
    recurStart: t.recurStart ? dayjs(t.recurStart) : null,
    recurEnd: t.recurEnd ? dayjs(t.recurEnd) : null,
    progress: t.progress,
  };
}

/** tasks.create input from the form (recurring tasks carry start/end instead of a due date). */
export function createInput(v: TaskFormValues, issue: boolean): TaskInput {
  const recurring = v.recurrence !== 'none';
  return {
    code: v.code || undefined,
    title: v.title,
    description: v.description ?? null,
    standard: v.standard ?? null,
    leadDeptId: v.leadDeptId ?? null,
    coopDeptIds: v.coopDeptIds ?? [],
    indicatorIds: v.indicatorIds ?? [],
    dueDate: recurring ? null : date(v.dueDate),
    priority: v.priority,
    recurrence: v.recurrence,
    recurStart: recurring ? date(v.recurStart) : null,
    recurEnd: recurring ? date(v.recurEnd) : null,
    issue,
  };
}

/** tasks.update patch from the form: no status (the workflow moves it), no recurrence kind. */
export function updatePatch(v: TaskFormValues, task: Task) {
  const series = task.kind === 'series';
  return {
    ...(v.code ? { code: v.code } : {}),
    title: v.title,
    description: v.description ?? null,
    standard: v.standard ?? null,
    leadDeptId: v.leadDeptId ?? null,
    coopDeptIds: v.coopDeptIds ?? [],
    indicatorIds: v.indicatorIds ?? [],
    priority: v.priority,
    ...(series
      ? { recurStart: date(v.recurStart), recurEnd: date(v.recurEnd) }
      : { dueDate: date(v.dueDate), progress: v.progress }),
  };
}

interface Props {
  form: FormInstance<TaskFormValues>;
  /** null while creating a task. */
  task: Task | null;
  deptOptions: Option[];
  indicatorOptions: Option[];
}

/** 基本信息: the task's fields. The status is not here: it moves only through the workflow. */
export function TaskForm({ form, task, deptOptions, indicatorOptions }: Props) {
  const watched = Form.useWatch('recurrence', form);
  const recurrence = task ? task.recurrence : (watched ?? 'none');
  const recurring = task ? task.kind === 'series' : recurrence !== 'none';

  return (
    <Form<TaskFormValues> form={form} layout="vertical" data-testid="task-form">
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item label="编号" name="code">
            <Input placeholder="自动生成" maxLength={40} />
          </Form.Item>
        </Col>
        <Col span={18}>
          <Form.Item
            label="任务名称"
            name="title"
            rules={[{ required: true, whitespace: true, message: '请填写任务名称' }]}
          >
            <Input maxLength={200} placeholder="例如：完成双公示数据 7 个工作日内上报" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="任务内容" name="description">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
      </Form.Item>
      <Form.Item label="完成标准" name="standard" tooltip="达到什么标准、以什么佐证材料为准视为完成">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item label="牵头单位" name="leadDeptId">
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              allowClear
              options={deptOptions}
              placeholder="选择牵头单位"
            />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item label="优先级" name="priority">
            <Select options={options(PRIORITY_LABEL)} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item
            label="周期"
            name="recurrence"
            tooltip={
              task
                ? '周期在新建时确定，之后不能修改'
                : '周期任务按周、月或季度自动生成每一期任务，每期各自签收、办理、反馈和复核'
            }
          >
            <Select options={options(RECURRENCE_LABEL)} disabled={!!task} data-testid="recurrence" />
          </Form.Item>
        </Col>
      </Row>
      {recurring ? (
        <>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                label="开始日期"
                name="recurStart"
                tooltip="从这一天所在的那一期开始生成；启用（下发）之前的各期不会补生成"
              >
                <DatePicker style={{ width: '100%' }} placeholder="默认今天" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                label="结束日期"
                name="recurEnd"
                dependencies={['recurStart']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator(_, end: Dayjs | null | undefined) {
                      const start = getFieldValue('recurStart') as Dayjs | null | undefined;
                      if (!end || !start || !end.isBefore(start, 'day')) return Promise.resolve();
                      return Promise.reject(new Error('结束日期不能早于开始日期'));
                    },
                  }),
                ]}
              >
                <DatePicker style={{ width: '100%' }} placeholder="不填则长期" />
              </Form.Item>
            </Col>
          </Row>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`每期截止日期：${
              recurrence === 'weekly'
                ? '每周五'
                : recurrence === 'monthly'
                  ? '每月最后一天'
                  : '每季度最后一天'
            }。启用（下发）后系统自动生成每一期任务。`}
          />
        </>
      ) : (
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item label="截止日期" name="dueDate">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {task?.kind === 'instance' && (
            <Col span={12}>
              <Form.Item label="所属期次">
                <Input value={task.periodLabel ?? task.period ?? ''} disabled />
              </Form.Item>
            </Col>
          )}
        </Row>
      )}
      <Form.Item label="配合单位" name="coopDeptIds">
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={deptOptions}
          placeholder="可多选"
        />
      </Form.Item>
      <Form.Item label="关联指标" name="indicatorIds">
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={indicatorOptions}
          placeholder="可多选"
        />
      </Form.Item>
      {task && task.kind !== 'series' && (
        <Form.Item label="进度（%）" name="progress" tooltip="一般随“进展反馈”更新；办结时自动记为 100%">
          <Slider marks={{ 0: '0', 50: '50', 100: '100' }} disabled={task.status === 'done'} />
        </Form.Item>
      )}
    </Form>
  );
}
