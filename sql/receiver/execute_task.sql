-- slot task: identifier
EXECUTE TASK {task}
